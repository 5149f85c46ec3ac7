-- Foundation schema: components, incidents, updates, status history, tokens, users, audit, outbox.
-- Times are UTC ISO-8601 strings with milliseconds (e.g. 2020-02-03T13:30:00.000Z).

CREATE TABLE component_groups (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL COLLATE NOCASE UNIQUE,
  position   INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE components (
  id          INTEGER PRIMARY KEY,
  group_id    INTEGER REFERENCES component_groups(id) ON DELETE SET NULL,
  name        TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  position    INTEGER NOT NULL DEFAULT 0,
  status      TEXT NOT NULL DEFAULT 'operational' CHECK (status IN
                ('operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance')),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  -- Deleting a component hides it; its history stays attached to past incidents.
  deleted_at  TEXT
) STRICT;
CREATE INDEX components_group ON components(group_id, position);

CREATE TABLE incidents (
  id          INTEGER PRIMARY KEY,
  reference   TEXT NOT NULL COLLATE NOCASE UNIQUE,
  name        TEXT NOT NULL,
  impact      TEXT NOT NULL CHECK (impact IN ('none', 'minor', 'major', 'critical')),
  status      TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'postmortem')),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  monitoring_at TEXT,
  resolved_at TEXT
) STRICT;
CREATE INDEX incidents_started ON incidents(started_at);
CREATE INDEX incidents_open ON incidents(resolved_at) WHERE resolved_at IS NULL;

-- The components an incident affects (the union over its updates).
CREATE TABLE incident_components (
  incident_id  INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  component_id INTEGER NOT NULL REFERENCES components(id),
  PRIMARY KEY (incident_id, component_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE updates (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  status      TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'postmortem')),
  body        TEXT NOT NULL,
  notify      INTEGER NOT NULL DEFAULT 1 CHECK (notify IN (0, 1)),
  -- display_at is the time shown to readers; it may be back-dated by the admin.
  display_at  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX updates_incident ON updates(incident_id, display_at);
CREATE INDEX updates_display ON updates(display_at);

-- Every component status change, with the update that made it (NULL when set by hand).
-- Uptime is computed from this history.
CREATE TABLE component_status_changes (
  id           INTEGER PRIMARY KEY,
  component_id INTEGER NOT NULL REFERENCES components(id),
  update_id    INTEGER REFERENCES updates(id) ON DELETE SET NULL,
  old_status   TEXT NOT NULL,
  new_status   TEXT NOT NULL,
  changed_at   TEXT NOT NULL
) STRICT;
CREATE INDEX status_changes_component ON component_status_changes(component_id, changed_at);
CREATE INDEX status_changes_update ON component_status_changes(update_id);

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL COLLATE NOCASE UNIQUE,
  -- SHA-256 of the token: tokens are long random strings, so a fast hash is enough.
  token_hash   TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  last_used_at TEXT
) STRICT;

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL COLLATE NOCASE UNIQUE,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'editor')),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  -- Who: 'token:<name>', 'user:<name>' or 'cli'.
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  incident_id INTEGER REFERENCES incidents(id) ON DELETE SET NULL,
  detail      TEXT NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX audit_incident ON audit_log(incident_id);

-- Outbox of social deliveries: one row per update and channel, written in the update's transaction.
CREATE TABLE deliveries (
  id              INTEGER PRIMARY KEY,
  update_id       INTEGER NOT NULL REFERENCES updates(id) ON DELETE CASCADE,
  channel         TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  remote_id       TEXT,
  remote_url      TEXT,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (update_id, channel)
) STRICT;
CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);

-- Small counters: the content version that public caches key on, and the reference sequence.
CREATE TABLE counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO counters (name, value) VALUES ('content_version', 1), ('reference_sequence', 0);
