-- Subscribers (email after double opt-in, webhooks, Slack, Discord, Teams) and the outbox that tells them:
-- one notification per event, committed with the write that caused it, expanded by the worker into one
-- delivery per subscriber, so that posting an update costs one row however many subscribers there are.

CREATE TABLE subscribers (
  id                 INTEGER PRIMARY KEY,
  kind               TEXT NOT NULL CHECK (kind IN ('email', 'webhook', 'slack', 'discord', 'teams')),
  -- Where messages go: the email address (its domain lower-cased) or the URL, as given.
  target             TEXT NOT NULL CHECK (length(target) BETWEEN 3 AND 2048),
  -- The target as compared (an address lower-cased whole): one subscription per kind and target.
  target_key         TEXT NOT NULL,
  -- Webhooks and chats: who is emailed when deliveries fail for good (optional).
  contact_email      TEXT,
  -- unconfirmed: an email address that has not confirmed yet (forgotten after 7 days); active: sent to;
  -- quarantined: a webhook that failed for 24 hours (an admin re-enables it); bounced: an address refused for good.
  state              TEXT NOT NULL CHECK (state IN ('unconfirmed', 'active', 'quarantined', 'bounced')),
  -- 1: every component, and incidents that name none; 0: only the components in subscriber_components.
  all_components     INTEGER NOT NULL DEFAULT 1 CHECK (all_components IN (0, 1)),
  -- SHA-256 (hex) of the confirmation token: single use, cleared when confirmed.
  confirm_token_hash TEXT UNIQUE,
  confirm_expires_at TEXT,
  -- Webhooks: the HMAC-SHA256 key of X-Herald-Signature. Kept as is, because every delivery is signed with it.
  signing_secret     TEXT,
  -- Part of every manage and unsubscribe link (an HMAC over the id and this); moving it retires old links.
  link_version       INTEGER NOT NULL DEFAULT 1,
  -- Who added it: a visitor on /subscribe, an admin by hand, or an admin's import.
  source             TEXT NOT NULL CHECK (source IN ('visitor', 'admin', 'import')),
  created_at         TEXT NOT NULL,
  confirmed_at       TEXT,
  updated_at         TEXT NOT NULL,
  -- Webhooks and chats: when the current run of failed deliveries began (NULL: the last one succeeded).
  failing_since      TEXT,
  last_delivery_at   TEXT,
  last_error         TEXT,
  UNIQUE (kind, target_key)
) STRICT;

CREATE INDEX subscribers_unconfirmed ON subscribers(state, confirm_expires_at);

CREATE TABLE subscriber_components (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
  component_id  INTEGER NOT NULL REFERENCES components(id) ON DELETE CASCADE,
  PRIMARY KEY (subscriber_id, component_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX subscriber_components_component ON subscriber_components(component_id);

-- One event to tell subscribers, written in the transaction of the update (or component change) it tells.
CREATE TABLE notifications (
  id                 INTEGER PRIMARY KEY,
  -- incident and maintenance: an update that notifies; component: a component's status changed.
  event              TEXT NOT NULL CHECK (event IN ('incident', 'maintenance', 'component')),
  incident_id        INTEGER REFERENCES incidents(id) ON DELETE CASCADE,
  update_id          INTEGER REFERENCES updates(id) ON DELETE CASCADE,
  -- component events: the status change (status_history keeps the same facts for uptime).
  component_id       INTEGER REFERENCES components(id) ON DELETE CASCADE,
  old_status         TEXT,
  new_status         TEXT,
  -- The components it concerns, a JSON array of ids; empty: every subscriber (an incident naming none).
  component_ids      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(component_ids) AND json_type(component_ids) = 'array'),
  -- The highest subscriber id when it committed: who subscribes later is not told of it.
  last_subscriber_id INTEGER NOT NULL,
  -- Subscribers are expanded into deliveries in id order, in batches; the last id looked at.
  expanded_through   INTEGER NOT NULL DEFAULT 0,
  created_at         TEXT NOT NULL,
  CHECK ((event = 'component') = (component_id IS NOT NULL AND new_status IS NOT NULL)),
  CHECK (event = 'component' OR (incident_id IS NOT NULL AND update_id IS NOT NULL))
) STRICT;

CREATE INDEX notifications_unexpanded ON notifications(id) WHERE expanded_through < last_subscriber_id;

-- One notification to one subscriber: attempt-tracked as the social deliveries are.
CREATE TABLE subscriber_deliveries (
  id              INTEGER PRIMARY KEY,
  notification_id INTEGER NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
  subscriber_id   INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  -- pending: not before this time; sending: when the claim of the attempt in flight lapses.
  next_attempt_at TEXT,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  sent_at         TEXT,
  UNIQUE (notification_id, subscriber_id)
) STRICT;

CREATE INDEX subscriber_deliveries_due ON subscriber_deliveries(state, next_attempt_at);
-- A subscriber's messages go out in order: the earlier deliveries of the same subscriber.
CREATE INDEX subscriber_deliveries_order ON subscriber_deliveries(subscriber_id, id);
