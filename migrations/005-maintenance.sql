-- Scheduled maintenance: an incident of kind 'maintenance' with a window, run through its own statuses.
--
-- SQLite cannot change a CHECK constraint in place, so incidents and updates are rebuilt (copy, drop,
-- rename). The migration runner turns foreign keys off around every migration and checks them all before
-- committing, so dropping the old tables neither cascades into updates and deliveries nor leaves a
-- dangling reference (https://www.sqlite.org/lang_altertable.html, "other kinds of table schema changes").

CREATE TABLE incidents_new (
  id              INTEGER PRIMARY KEY,
  reference       TEXT NOT NULL COLLATE NOCASE UNIQUE,
  kind            TEXT NOT NULL DEFAULT 'incident' CHECK (kind IN ('incident', 'maintenance')),
  name            TEXT NOT NULL,
  impact          TEXT NOT NULL CHECK (impact IN ('none', 'minor', 'major', 'critical')),
  status          TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  -- A maintenance's start: its planned start until it starts, then the time it did.
  started_at      TEXT NOT NULL,
  monitoring_at   TEXT,
  -- A maintenance's completion.
  resolved_at     TEXT,
  -- The maintenance window, and whether Herald starts and completes it by the clock.
  scheduled_for   TEXT,
  scheduled_until TEXT,
  auto_start      INTEGER CHECK (auto_start IN (0, 1)),
  auto_complete   INTEGER CHECK (auto_complete IN (0, 1)),
  CHECK (
    (kind = 'incident'
      AND status IN ('investigating', 'identified', 'monitoring', 'resolved', 'postmortem')
      AND scheduled_for IS NULL AND scheduled_until IS NULL AND auto_start IS NULL AND auto_complete IS NULL)
    OR
    (kind = 'maintenance'
      AND status IN ('scheduled', 'in_progress', 'verifying', 'completed')
      AND scheduled_for IS NOT NULL AND scheduled_until > scheduled_for
      AND auto_start IS NOT NULL AND auto_complete IS NOT NULL)
  )
) STRICT;

INSERT INTO incidents_new (id, reference, kind, name, impact, status, created_at, updated_at, started_at, monitoring_at, resolved_at)
SELECT id, reference, 'incident', name, impact, status, created_at, updated_at, started_at, monitoring_at, resolved_at
FROM incidents;

DROP TABLE incidents;
ALTER TABLE incidents_new RENAME TO incidents;
CREATE INDEX incidents_started ON incidents(started_at);
CREATE INDEX incidents_open ON incidents(resolved_at) WHERE resolved_at IS NULL;
-- The transitions due by the clock, found without a scan.
CREATE INDEX incidents_maintenance ON incidents(status, scheduled_for) WHERE kind = 'maintenance';

CREATE TABLE updates_new (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  status      TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'postmortem',
                                              'scheduled', 'in_progress', 'verifying', 'completed')),
  body        TEXT NOT NULL,
  notify      INTEGER NOT NULL DEFAULT 1 CHECK (notify IN (0, 1)),
  -- display_at is the time shown to readers; it may be back-dated by the admin.
  display_at  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  post_text   TEXT
) STRICT;

INSERT INTO updates_new (id, incident_id, status, body, notify, display_at, created_at, updated_at, post_text)
SELECT id, incident_id, status, body, notify, display_at, created_at, updated_at, post_text FROM updates;

DROP TABLE updates;
ALTER TABLE updates_new RENAME TO updates;
CREATE INDEX updates_incident ON updates(incident_id, display_at);
CREATE INDEX updates_display ON updates(display_at);
