-- 0004: what the locator reads on every request, worked out once when the
-- directory changes rather than on every request.
--   dir_sal_brief: each service-at-location's HSDS list object (compact
--     JSON, without the per-request "distance"), as the API's
--     /service_at_locations lists send it.
--   dir_sal_point: where it is and the Waypost codes its service links, for
--     the in-memory geographic index (only mappable, active listings).
--   dir_sal_dirty: the listings whose cache has to be worked out again.
-- Triggers delete a changed listing's brief (so it is never served stale)
-- and put the listing on the dirty list; every import then works the list
-- off (listing_cache.c) before it commits, and the server does the same
-- before it builds its index, for changes written by other tools. A
-- listing with no brief is built from the documents instead, so the cache
-- can lag, never lie.
CREATE TABLE dir_sal_brief (
    sal_rowid INTEGER PRIMARY KEY,   -- dir_service_at_location.rowid
    brief TEXT NOT NULL
);

CREATE TABLE dir_sal_point (
    sal_rowid INTEGER PRIMARY KEY,   -- dir_service_at_location.rowid
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    codes TEXT NOT NULL DEFAULT ''   -- comma-separated Waypost term codes
);

CREATE TABLE dir_sal_dirty (
    sal_rowid INTEGER PRIMARY KEY    -- dir_service_at_location.rowid
);

-- the listings stored before this migration
INSERT INTO dir_sal_dirty SELECT rowid FROM dir_service_at_location;

CREATE TRIGGER dir_sal_cache_sal_insert AFTER INSERT ON dir_service_at_location BEGIN
    INSERT OR IGNORE INTO dir_sal_dirty VALUES (new.rowid);
END;

CREATE TRIGGER dir_sal_cache_sal_delete AFTER DELETE ON dir_service_at_location BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid = old.rowid;
    DELETE FROM dir_sal_point WHERE sal_rowid = old.rowid;
    DELETE FROM dir_sal_dirty WHERE sal_rowid = old.rowid;
END;

-- Upserts fire UPDATE triggers even when nothing changed; the WHEN
-- clauses keep an import that repeats a shared location or term from
-- throwing away the cache of every listing that uses it.
CREATE TRIGGER dir_sal_cache_sal_update AFTER UPDATE ON dir_service_at_location
WHEN old.rowid IS NOT new.rowid OR old.service_id IS NOT new.service_id OR old.location_id IS NOT new.location_id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN (old.rowid, new.rowid);
    INSERT OR IGNORE INTO dir_sal_dirty VALUES (new.rowid);
END;

CREATE TRIGGER dir_sal_cache_location_update AFTER UPDATE ON dir_location
WHEN old.raw IS NOT new.raw OR old.latitude IS NOT new.latitude OR old.longitude IS NOT new.longitude
  OR old.id IS NOT new.id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE location_id IN (old.id, new.id));
    INSERT OR IGNORE INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE location_id IN (old.id, new.id);
END;

CREATE TRIGGER dir_sal_cache_service_update AFTER UPDATE ON dir_service
WHEN old.raw IS NOT new.raw OR old.status IS NOT new.status OR old.id IS NOT new.id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE service_id IN (old.id, new.id));
    INSERT OR IGNORE INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE service_id IN (old.id, new.id);
END;

-- The brief does not show terms; only the point's codes depend on them.
CREATE TRIGGER dir_sal_cache_term_link AFTER INSERT ON dir_service_term BEGIN
    INSERT OR IGNORE INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE service_id = new.service_id;
END;

CREATE TRIGGER dir_sal_cache_term_unlink AFTER DELETE ON dir_service_term BEGIN
    INSERT OR IGNORE INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE service_id = old.service_id;
END;

CREATE TRIGGER dir_sal_cache_term_update AFTER UPDATE OF code, taxonomy_id ON dir_taxonomy_term
WHEN old.code IS NOT new.code OR old.taxonomy_id IS NOT new.taxonomy_id
BEGIN
    INSERT OR IGNORE INTO dir_sal_dirty
        SELECT sal.rowid FROM dir_service_at_location sal
        JOIN dir_service_term st ON st.service_id = sal.service_id WHERE st.term_id = old.id;
END;
