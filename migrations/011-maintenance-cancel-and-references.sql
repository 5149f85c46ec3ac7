-- Maintenances get their own reference sequence (MAINTENANCE_PREFIX, MNT000001), and can be cancelled before they start.
--
-- A cancelled maintenance is stored as completed (it is over and never starts: the clock, the upcoming and
-- active lists all pass it by) with the time it was cancelled; the store reads it back as `cancelled`.
-- The incidents table keeps its status CHECK rather than being rebuilt: other migrations add columns to
-- it, and a copy here would have to name them all. The updates table is rebuilt (as in
-- 005-maintenance.sql) for its status CHECK, so the cancellation update carries the status `cancelled`.

ALTER TABLE incidents ADD COLUMN cancelled_at TEXT CHECK (cancelled_at IS NULL OR (kind = 'maintenance' AND status = 'completed'));

CREATE TABLE updates_new (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  status      TEXT NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'postmortem',
                                              'scheduled', 'in_progress', 'verifying', 'completed', 'cancelled')),
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
CREATE INDEX updates_updated ON updates(updated_at);

-- The maintenances' own sequence, from 0: the maintenances scheduled so far keep the references they have.
INSERT INTO counters (name, value) VALUES ('maintenance_reference_sequence', 0);
