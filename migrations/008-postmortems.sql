-- Postmortems: the written account of a resolved incident, drafted, then published with its own time; and
-- the outbox taking a postmortem's social posts beside the updates'.

-- One per incident, as Statuspage has it: the draft the admin writes, and the body readers see once it is
-- published. Publishing copies the draft into the body; unpublishing takes the body off the pages and keeps
-- the draft. A body is public exactly while published_at is set.
CREATE TABLE postmortems (
  incident_id      INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
  draft            TEXT NOT NULL,
  draft_updated_at TEXT NOT NULL,
  body             TEXT,
  body_updated_at  TEXT,
  published_at     TEXT,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  CHECK ((body IS NULL) = (published_at IS NULL) AND (body IS NULL) = (body_updated_at IS NULL))
) STRICT;

-- Rebuilt rather than altered: SQLite cannot drop the NOT NULL of update_id in place. A delivery is now of an
-- update, or (update_id NULL) of its incident's postmortem; the same columns otherwise, copied as they are.
-- The migration runner turns foreign keys off around every migration and checks them before committing.
CREATE TABLE deliveries_new (
  id              INTEGER PRIMARY KEY,
  -- NULL: the post of the incident's postmortem.
  update_id       INTEGER REFERENCES updates(id) ON DELETE CASCADE,
  -- The incident's posts form one thread per channel: its deliveries are sent one at a time, in order.
  incident_id     INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
  channel         TEXT NOT NULL CHECK (channel IN ('twitter', 'mastodon')),
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  -- Fixed when the write commits, so that every attempt sends the same bytes: X's duplicate check
  -- and Mastodon's idempotency both rely on it.
  text            TEXT NOT NULL,
  -- The update's (or the postmortem's) link inside the text: how the post is found among the account's posts after a crash.
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

INSERT INTO deliveries_new (id, update_id, incident_id, channel, state, text, link, idempotency_key, reply_to_id, attempts,
                            uncertain, next_attempt_at, remote_id, remote_url, last_error, created_at, updated_at, sent_at)
SELECT id, update_id, incident_id, channel, state, text, link, idempotency_key, reply_to_id, attempts,
       uncertain, next_attempt_at, remote_id, remote_url, last_error, created_at, updated_at, sent_at
FROM deliveries;

DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;

CREATE INDEX deliveries_due ON deliveries(state, next_attempt_at);
-- The thread order check: the earlier deliveries of the same incident and channel.
CREATE INDEX deliveries_thread ON deliveries(incident_id, channel, id);
-- A postmortem is posted at most once per channel, however often it is published again.
CREATE UNIQUE INDEX deliveries_postmortem ON deliveries(incident_id, channel) WHERE update_id IS NULL;
