-- 0013: alert subscriptions (src/community/subs*), issue 14.
--
-- A subscriber is only an address (a phone number or an email address)
-- and the areas chosen, one sealed JSON object {"address", "areas"} under
-- the check-in key (crypto_secretbox, nonce || box). addr_hash is a keyed
-- hash (BLAKE2b under a key derived from the same key) of "channel:address",
-- for finding and deduplicating a subscriber without opening every row.
-- Unsubscribing deletes the row. No IP address, no cookie, no name.
CREATE TABLE sub_subscriber (
    id INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: unsubscribe links name it
    addr_hash BLOB NOT NULL UNIQUE,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    secret BLOB NOT NULL,
    created_at INTEGER NOT NULL      -- unix seconds: part of the unsubscribe link's MAC
);

-- A request waiting for its confirmation: the email link's token or the
-- SMS code (both stored only as hashes), at most 5 wrong codes, gone after
-- a day or once confirmed.
CREATE TABLE sub_pending (
    id INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE,
    addr_hash BLOB NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    secret BLOB NOT NULL,
    code_hash BLOB,                  -- SMS only
    tries INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sub_pending_addr ON sub_pending(addr_hash);
CREATE INDEX sub_pending_expires ON sub_pending(expires_at);

-- Partner organisations' webhooks, set by admins at /staff/webhooks: every
-- published, updated or withdrawn alert is POSTed to url as signed JSON.
CREATE TABLE sub_webhook (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL
);

-- Email messages may carry a List-Unsubscribe URL (RFC 2369/8058), sealed
-- like the rest of the message.
ALTER TABLE notify_outbox ADD COLUMN unsubscribe BLOB;
