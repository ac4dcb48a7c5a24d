-- 0017: one breaker per destination, and contacts that confirmed (issue 13).
--
-- route names where an outbox message goes, so a destination that is down
-- can be held back as a whole and its backlog sent in due order when it
-- comes back: 'sms' and 'email' (one gateway each), and for a webhook
-- 'webhook:' and a keyed hash of the URL's scheme, host and port (the URL
-- itself stays sealed in dest). Rows queued before this migration keep
-- their channel as their route.
ALTER TABLE notify_outbox ADD COLUMN route TEXT NOT NULL DEFAULT '';
UPDATE notify_outbox SET route = channel;
CREATE INDEX notify_outbox_route ON notify_outbox(route, due_at, id) WHERE state = 'queued';

-- A contact's phone number or email address that used its "I'm on my way"
-- link: it wants these messages, so the limit of 3 check-ins an hour to an
-- unconfirmed contact no longer applies. Only a keyed hash (BLAKE2b under
-- a subkey of the check-in key) is kept, never the number, and a row is
-- deleted [checkin] confirmed_days after its last use.
CREATE TABLE checkin_confirmed (
    mac BLOB PRIMARY KEY,
    confirmed_at INTEGER NOT NULL    -- Unix ms of the last confirmation
) WITHOUT ROWID;
CREATE INDEX checkin_confirmed_at ON checkin_confirmed(confirmed_at);
