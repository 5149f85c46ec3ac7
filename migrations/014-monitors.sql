-- Monitors that watch what the page describes: their definitions and persisted state, every check run, every
-- state change, the certificate warnings told to the operators, and draft incidents (not public until published).

-- An incident not yet public: not on the page, in feeds, the API v2, posts or subscribers' messages. Publishing
-- opens the incident from it (with its reference then) and removes the draft, in one write.
CREATE TABLE incident_drafts (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  body       TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring')),
  -- NULL: follows the worst component status given, as an opened incident's does.
  impact     TEXT CHECK (impact IS NULL OR impact IN ('none', 'minor', 'major', 'critical')),
  -- Component id to the status the incident gives it when published: a JSON object.
  components TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(components) AND json_type(components) = 'object'),
  -- A monitor's draft: which monitor, and what it saw since (recovered at …).
  monitor_id INTEGER REFERENCES monitors(id) ON DELETE SET NULL,
  note       TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE monitors (
  id                INTEGER PRIMARY KEY,
  -- What `herald monitors apply` matches on: one monitor per name, whatever its case.
  name              TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
  kind              TEXT NOT NULL CHECK (kind IN ('http', 'tcp', 'dns', 'tls', 'heartbeat')),
  -- The kind's own settings (URL, method, headers, conditions, host and port, record, grace): domain/monitors.ts.
  settings          TEXT NOT NULL CHECK (json_valid(settings) AND json_type(settings) = 'object'),
  -- How often it runs; for a heartbeat, the period within which a call must arrive.
  interval_s        INTEGER NOT NULL CHECK (interval_s BETWEEN 10 AND 86400),
  timeout_ms        INTEGER NOT NULL CHECK (timeout_ms BETWEEN 100 AND 120000),
  failure_threshold INTEGER NOT NULL DEFAULT 3 CHECK (failure_threshold BETWEEN 1 AND 100),
  success_threshold INTEGER NOT NULL DEFAULT 2 CHECK (success_threshold BETWEEN 1 AND 100),
  -- Slower than this (ms) is degraded; NULL: never degraded.
  latency_limit_ms  INTEGER CHECK (latency_limit_ms IS NULL OR latency_limit_ms BETWEEN 1 AND 120000),
  -- The component it moves (NULL: none), and to what.
  component_id      INTEGER REFERENCES components(id) ON DELETE SET NULL,
  down_status       TEXT NOT NULL DEFAULT 'major_outage' CHECK (down_status IN ('partial_outage', 'major_outage')),
  degraded_status   TEXT NOT NULL DEFAULT 'degraded_performance'
                      CHECK (degraded_status IN ('degraded_performance', 'partial_outage', 'major_outage')),
  -- off: the component only; draft: opens a draft incident; publish: opens and resolves a public incident.
  incident_mode     TEXT NOT NULL DEFAULT 'off' CHECK (incident_mode IN ('off', 'draft', 'publish')),
  -- Days left at which the operators are warned about the certificate, a JSON array of whole days, largest first.
  cert_warning_days TEXT NOT NULL DEFAULT '[14,7]' CHECK (json_valid(cert_warning_days) AND json_type(cert_warning_days) = 'array'),
  paused            INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
  -- Heartbeats: SHA-256 (hex) of the secret in POST /api/v1/heartbeats/<secret>; the secret is shown once.
  heartbeat_hash    TEXT UNIQUE,
  -- The state and its counters persist, so that a restart neither alerts again nor forgets a run of failures.
  -- pending: no verdict yet (new, or just resumed); up, degraded, down: past the thresholds.
  state             TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'up', 'degraded', 'down')),
  state_since       TEXT NOT NULL,
  failures          INTEGER NOT NULL DEFAULT 0,
  successes         INTEGER NOT NULL DEFAULT 0,
  last_run_at       TEXT,
  last_result       TEXT CHECK (last_result IS NULL OR last_result IN ('up', 'degraded', 'down')),
  last_latency_ms   INTEGER,
  last_error        TEXT,
  -- The certificate last seen (https and tls monitors), for the dashboard's list and the warnings.
  cert_fingerprint  TEXT,
  cert_subject      TEXT,
  cert_issuer       TEXT,
  cert_names        TEXT CHECK (cert_names IS NULL OR json_valid(cert_names)),
  cert_valid_from   TEXT,
  cert_expires_at   TEXT,
  -- The automatic incident this monitor keeps open (at most one), and its draft while unpublished.
  incident_id       INTEGER REFERENCES incidents(id) ON DELETE SET NULL,
  draft_id          INTEGER REFERENCES incident_drafts(id) ON DELETE SET NULL,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL
) STRICT;

CREATE INDEX monitors_component ON monitors(component_id) WHERE component_id IS NOT NULL;
CREATE INDEX monitors_cert_expiry ON monitors(cert_expires_at) WHERE cert_expires_at IS NOT NULL;

-- One result of one check, kept 90 days.
CREATE TABLE monitor_runs (
  id             INTEGER PRIMARY KEY,
  monitor_id     INTEGER NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
  at             TEXT NOT NULL,
  result         TEXT NOT NULL CHECK (result IN ('up', 'degraded', 'down')),
  latency_ms     INTEGER,
  status_code    INTEGER,
  error          TEXT,
  -- A maintenance in progress named the monitor's component: its failures do not count against uptime.
  in_maintenance INTEGER NOT NULL DEFAULT 0 CHECK (in_maintenance IN (0, 1))
) STRICT;

CREATE INDEX monitor_runs_monitor ON monitor_runs(monitor_id, at);
CREATE INDEX monitor_runs_at ON monitor_runs(at);

-- Each change of a monitor's state, with why.
CREATE TABLE monitor_events (
  id         INTEGER PRIMARY KEY,
  monitor_id INTEGER NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
  at         TEXT NOT NULL,
  old_state  TEXT NOT NULL,
  new_state  TEXT NOT NULL,
  reason     TEXT NOT NULL
) STRICT;

CREATE INDEX monitor_events_monitor ON monitor_events(monitor_id, at);

-- A warning that a certificate runs out: once per monitor, certificate and threshold. Its row is its own
-- outbox: committed with the run that saw it, emailed to the admins after (emailed_at), shown until dismissed.
CREATE TABLE certificate_warnings (
  id           INTEGER PRIMARY KEY,
  monitor_id   INTEGER NOT NULL REFERENCES monitors(id) ON DELETE CASCADE,
  fingerprint  TEXT NOT NULL,
  days         INTEGER NOT NULL,
  expires_at   TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  emailed_at   TEXT,
  dismissed_at TEXT,
  UNIQUE (monitor_id, fingerprint, days)
) STRICT;

CREATE INDEX certificate_warnings_unsent ON certificate_warnings(id) WHERE emailed_at IS NULL;

-- The status a monitor last gave the component (NULL: none, or a person changed it since). A monitor's
-- recovery puts the component back to operational only while its status is still this one.
ALTER TABLE components ADD COLUMN monitor_status TEXT
  CHECK (monitor_status IS NULL OR monitor_status IN ('degraded_performance', 'partial_outage', 'major_outage'));
