-- 0003: the service directory (HSDS 3.0).
-- Each service is kept whole, as the HSDS 3.0 JSON it arrived as (raw), so
-- export gives back exactly what was imported; the other tables index it
-- for the locator and the API. Ids are HSDS ids (UUIDs as text).
CREATE TABLE dir_organization (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    raw TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE dir_service (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    organization_id TEXT REFERENCES dir_organization(id),
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    source TEXT NOT NULL DEFAULT '',        -- who listed it (metadata.updated_by)
    source_date TEXT NOT NULL DEFAULT '',   -- as of (metadata.last_action_date)
    is_example INTEGER NOT NULL DEFAULT 0,
    raw TEXT NOT NULL,
    raw_hash TEXT NOT NULL,                 -- to tell "unchanged" from "updated" on re-import
    modified_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE dir_location (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL,
    postal_code TEXT NOT NULL DEFAULT '',
    raw TEXT NOT NULL
);

CREATE TABLE dir_service_at_location (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    service_id TEXT NOT NULL REFERENCES dir_service(id) ON DELETE CASCADE,
    location_id TEXT NOT NULL REFERENCES dir_location(id)
);
CREATE INDEX dir_sal_service ON dir_service_at_location(service_id);
CREATE INDEX dir_sal_location ON dir_service_at_location(location_id);

CREATE TABLE dir_taxonomy (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    raw TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE dir_taxonomy_term (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    taxonomy TEXT NOT NULL DEFAULT '',
    taxonomy_id TEXT,
    parent_id TEXT,
    raw TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX dir_term_code ON dir_taxonomy_term(taxonomy_id, code);

CREATE TABLE dir_service_term (
    service_id TEXT NOT NULL REFERENCES dir_service(id) ON DELETE CASCADE,
    term_id TEXT NOT NULL REFERENCES dir_taxonomy_term(id),
    link_type TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_id, term_id)
) WITHOUT ROWID;
CREATE INDEX dir_service_term_term ON dir_service_term(term_id);

CREATE TABLE dir_report (
    id INTEGER PRIMARY KEY,
    service_id TEXT NOT NULL,
    kind TEXT NOT NULL,          -- closed, moved, hours, phone, other
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    status TEXT NOT NULL DEFAULT 'new'
);
