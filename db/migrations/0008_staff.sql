-- 0008: the staff portal (issue 11). Accounts, their sessions and
-- one-time setup links, two-factor recovery codes, API tokens, failed
-- sign-ins (by account only: addresses are counted in memory, never
-- stored), site settings, and the append-only audit log chained by hash.
-- Secrets are never stored: passwords as Argon2id strings, session,
-- setup and API tokens and recovery codes as SHA-256 hex of the token.
CREATE TABLE staff_user (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'moderator')),
    password_hash TEXT,                  -- NULL until the setup link is used
    disabled INTEGER NOT NULL DEFAULT 0,
    totp_secret BLOB,                    -- NULL: two-factor not enrolled
    totp_pending BLOB,                   -- offered at enrolment, not yet confirmed
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,         -- unix seconds
    last_login_at INTEGER,
    failed_unseen INTEGER NOT NULL DEFAULT 0 -- failed sign-ins since the last one that worked
);

CREATE TABLE staff_recovery_code (
    user_id INTEGER NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at INTEGER,
    PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

CREATE TABLE staff_setup (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX staff_setup_user ON staff_setup(user_id);

CREATE TABLE staff_session (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
    stage TEXT NOT NULL CHECK (stage IN ('totp', 'full')), -- 'totp': password right, code still to come
    csrf TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    seen_at INTEGER NOT NULL,
    agent TEXT NOT NULL DEFAULT ''       -- the browser's name, so a person can tell sessions apart
) WITHOUT ROWID;
CREATE INDEX staff_session_user ON staff_session(user_id);

CREATE TABLE staff_login_failure (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL COLLATE NOCASE,
    at INTEGER NOT NULL
);
CREATE INDEX staff_login_failure_email ON staff_login_failure(email, at);

CREATE TABLE staff_token (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'moderator')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE staff_setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE staff_audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,                    -- ISO 8601 UTC
    actor TEXT NOT NULL,                 -- an account's email, "token:NAME", "cli", or "" (unknown)
    session TEXT NOT NULL DEFAULT '',    -- a short id of the session or token, never the token
    action TEXT NOT NULL,                -- login, logout, login.failed, user.add, listing.save ...
    target TEXT NOT NULL DEFAULT '',     -- what it acted on (an email, a service id ...)
    before TEXT,                         -- JSON of the changed fields before, for edits
    after TEXT,                          -- and after
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX staff_audit_action ON staff_audit(action, id);
CREATE INDEX staff_audit_actor ON staff_audit(actor, id);
CREATE TRIGGER staff_audit_no_update BEFORE UPDATE ON staff_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER staff_audit_no_delete BEFORE DELETE ON staff_audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- The report queue: who decided a report and when.
ALTER TABLE dir_report ADD COLUMN decided_at INTEGER;
ALTER TABLE dir_report ADD COLUMN decided_by TEXT;
CREATE INDEX dir_report_status ON dir_report(status, id);
