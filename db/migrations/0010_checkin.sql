-- 0010: the notification outbox (src/notify/) and the never-use-alone
-- check-in timers (src/checkin/), issue 13.
--
-- Every outgoing message is a row of notify_outbox, written in the same
-- transaction as the state change that causes it and delivered by the
-- sender threads; a row leaves 'queued' only when the provider accepted it
-- ('sent') or refused it for good ('failed'). Destinations, subjects and
-- bodies are sealed with crypto_secretbox (nonce || box), never plain.
-- Times are Unix milliseconds.
CREATE TABLE notify_outbox (
    id INTEGER PRIMARY KEY,
    idem_key TEXT NOT NULL UNIQUE,   -- sent as Idempotency-Key: a retry after a crash can be dropped by the provider
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'webhook')),
    dest BLOB NOT NULL,              -- sealed: phone number, email address or webhook URL
    subject BLOB,                    -- sealed; email only
    body BLOB NOT NULL,              -- sealed
    ref TEXT NOT NULL DEFAULT '',    -- what caused it ("checkin:12"), for its page and its deletion
    kind TEXT NOT NULL DEFAULT '',   -- what it says ("alert", "warning", ...)
    due_at INTEGER NOT NULL,         -- when its cause came due: delivery order
    next_at INTEGER NOT NULL,        -- earliest next attempt
    claimed INTEGER NOT NULL DEFAULT 0, -- a sender thread holds it (reset at start)
    attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX notify_outbox_ready ON notify_outbox(due_at, id) WHERE state = 'queued';
CREATE INDEX notify_outbox_next ON notify_outbox(next_at) WHERE state = 'queued';
CREATE INDEX notify_outbox_ref ON notify_outbox(ref);

-- One check-in timer. Nothing here names the person in the clear: where,
-- name, phone numbers and email addresses are one sealed JSON object.
-- next_at is the time of its next step (warning, alert, escalation), NULL
-- when none is left; version changes with every state change, so a step
-- fires only on the row it was decided for.
CREATE TABLE checkin (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('running', 'ok', 'cancelled', 'alerted', 'escalated')),
    version INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    warn_at INTEGER,                 -- NULL: no warning to send (none asked, or sent)
    escalate_at INTEGER,             -- set when the contacts were alerted and the responder may follow
    next_at INTEGER,
    ended_at INTEGER,                -- checked in, cancelled, or alerted
    acked_at INTEGER,
    responder INTEGER NOT NULL DEFAULT 0,
    secret BLOB NOT NULL
);
CREATE INDEX checkin_next ON checkin(next_at) WHERE next_at IS NOT NULL;
CREATE INDEX checkin_ended ON checkin(ended_at) WHERE ended_at IS NOT NULL;

-- The private links: the person's page and each contact's "I'm on my way"
-- page. Only a hash of each 128-bit token is kept.
CREATE TABLE checkin_link (
    token_hash BLOB PRIMARY KEY,
    checkin_id INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'sms', 'email', 'responder'))
) WITHOUT ROWID;
CREATE INDEX checkin_link_checkin ON checkin_link(checkin_id);

-- Every step, for the person's page: started, extended, warned, alerted,
-- acknowledged (by whom: a role, never an address), escalated, ok, cancelled.
CREATE TABLE checkin_event (
    id INTEGER PRIMARY KEY,
    checkin_id INTEGER NOT NULL REFERENCES checkin(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX checkin_event_checkin ON checkin_event(checkin_id);
