-- Cross-posting: an update's custom post text, and the outbox rebuilt with what a resend needs.

-- The text an admin wrote to post instead of the generated one (NULL: generated from the update).
ALTER TABLE updates ADD COLUMN post_text TEXT;

-- Rebuilt rather than altered: SQLite cannot add NOT NULL columns with references to a table. Nothing
-- wrote deliveries before this migration; rows, if any, are kept as skipped.
CREATE TABLE deliveries_new (
  id              INTEGER PRIMARY KEY,
  update_id       INTEGER NOT NULL REFERENCES updates(id) ON DELETE CASCADE,
  -- The incident's posts form one thread per channel: its deliveries are sent one at a time, in order.
  incident_id     INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  channel         TEXT NOT NULL CHECK (channel IN ('twitter', 'mastodon')),
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  -- Fixed when the update commits, so that every attempt sends the same bytes: X's duplicate check
  -- and Mastodon's idempotency both rely on it.
  text            TEXT NOT NULL,
  -- The update's link inside the text: how the post is found among the account's posts after a crash.
  link            TEXT NOT NULL,
  -- Sent as Mastodon's Idempotency-Key: random, so that no other install or reset database reuses it.
  idempotency_key TEXT NOT NULL UNIQUE,
  -- The remote post this one answers; chosen at the first attempt and kept for the resends.
  reply_to_id     TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  -- 1 once an attempt may have reached the channel without Herald learning the outcome.
  uncertain       INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1)),
  -- pending: not before this time; sending: when the claim of the attempt in flight lapses.
  next_attempt_at TEXT,
  remote_id       TEXT,
  remote_url      TEXT,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  sent_at         TEXT,
  UNIQUE (update_id, channel)
) STRICT;

INSERT INTO deliveries_new (id, update_id, incident_id, channel, state, text, link, idempotency_key, attempts,
                            remote_id, remote_url, last_error, created_at, updated_at)
SELECT d.id, d.update_id, u.incident_id, d.channel, 'skipped', '', '', 'legacy-' || d.id, d.attempts,
       d.remote_id, d.remote_url, d.last_error, d.created_at, d.updated_at
FROM deliveries d JOIN updates u ON u.id = d.update_id
WHERE d.channel IN ('twitter', 'mastodon');

DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;

CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
-- The thread order check: the earlier deliveries of the same incident and channel.
CREATE INDEX deliveries_thread ON deliveries(incident_id, channel, id);
