-- 0009: local drug alerts (issue 12). One row per alert with its current
-- text (the alert's JSON, as the API and the import file spell it), the
-- columns the lists filter and sort on, and every published version kept
-- in alert_version: version 1 is the CAP "Alert", each update an "Update"
-- and a withdrawal a "Cancel", each with its own CAP identifier and sent
-- time, so later messages can reference earlier ones (sender,identifier,sent).
-- Whether an alert is active is never stored: it is starts <= now < expires
-- at the moment of the request, so expiry needs no job and no restart.
CREATE TABLE alert (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,            -- the alert's lasting id (Atom entry urn:uuid)
    state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'withdrawn')),
    version INTEGER NOT NULL DEFAULT 0,   -- the last published version (0: a draft never published)
    doc TEXT NOT NULL,                    -- the alert's JSON as it now reads
    headline TEXT NOT NULL,
    severity_rank INTEGER NOT NULL,       -- 0 Extreme, 1 Severe, 2 Moderate, 3 Minor
    starts INTEGER NOT NULL,              -- unix seconds
    expires INTEGER NOT NULL,             -- unix seconds; active while starts <= now < expires
    created_at INTEGER NOT NULL,
    published_at INTEGER,                 -- the first publication
    updated_at INTEGER NOT NULL,          -- the last change people can see
    withdrawn_at INTEGER,
    withdraw_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_public ON alert(state, expires);

CREATE TABLE alert_substance (
    alert_id INTEGER NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,                   -- a substance of the interaction matrix
    PRIMARY KEY (alert_id, slug)
) WITHOUT ROWID;
CREATE INDEX alert_substance_slug ON alert_substance(slug, alert_id);

CREATE TABLE alert_version (
    alert_id INTEGER NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    msg_type TEXT NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel')),
    identifier TEXT NOT NULL UNIQUE,      -- this CAP message's identifier
    sender TEXT NOT NULL,                 -- the CAP sender when it was sent
    sent INTEGER NOT NULL,                -- unix seconds
    sent_offset INTEGER NOT NULL,         -- seconds east of UTC the sent time is written in
    note TEXT NOT NULL DEFAULT '',        -- what changed, shown on the public page
    doc TEXT NOT NULL,                    -- the alert's JSON as of this version
    actor TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (alert_id, version)
) WITHOUT ROWID;

CREATE TABLE alert_photo (
    alert_id INTEGER PRIMARY KEY REFERENCES alert(id) ON DELETE CASCADE,
    mime TEXT NOT NULL CHECK (mime IN ('image/jpeg', 'image/png', 'image/webp')),
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    data BLOB NOT NULL,                   -- re-encoded: no EXIF, GPS or other metadata
    alt TEXT NOT NULL DEFAULT '',
    added_at INTEGER NOT NULL
);
