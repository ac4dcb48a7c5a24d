-- 0004: what the locator reads on every request, worked out once when the
-- directory changes rather than on every request.
--   dir_sal_brief: each service-at-location's HSDS list object (compact
--     JSON, without the per-request "distance"), as the API's
--     /service_at_locations lists send it.
--   dir_sal_point: where it is and the Waypost codes its service links, for
--     the in-memory geographic index (only mappable, active listings).
-- Triggers delete the rows a change makes stale; every import then fills
-- in what is missing (dir_cache_refresh) before it commits, and
-- `waypost migrate` does the same for databases written before this. A
-- listing with no brief row yet is built from the documents instead, so
-- the cache can lag, never lie.
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

CREATE TRIGGER dir_sal_cache_sal_delete AFTER DELETE ON dir_service_at_location BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid = old.rowid;
    DELETE FROM dir_sal_point WHERE sal_rowid = old.rowid;
END;

-- Upserts fire UPDATE triggers even when nothing changed; the WHEN
-- clauses keep an import that repeats a shared location or term from
-- throwing away the cache of every listing that uses it.
CREATE TRIGGER dir_sal_cache_sal_update AFTER UPDATE ON dir_service_at_location
WHEN old.rowid IS NOT new.rowid OR old.service_id IS NOT new.service_id OR old.location_id IS NOT new.location_id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN (old.rowid, new.rowid);
    DELETE FROM dir_sal_point WHERE sal_rowid IN (old.rowid, new.rowid);
END;

CREATE TRIGGER dir_sal_cache_location_update AFTER UPDATE ON dir_location
WHEN old.raw IS NOT new.raw OR old.latitude IS NOT new.latitude OR old.longitude IS NOT new.longitude
  OR old.id IS NOT new.id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE location_id IN (old.id, new.id));
    DELETE FROM dir_sal_point WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE location_id IN (old.id, new.id));
END;

CREATE TRIGGER dir_sal_cache_service_update AFTER UPDATE ON dir_service
WHEN old.raw IS NOT new.raw OR old.status IS NOT new.status OR old.id IS NOT new.id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE service_id IN (old.id, new.id));
    DELETE FROM dir_sal_point WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE service_id IN (old.id, new.id));
END;

CREATE TRIGGER dir_sal_cache_term_link AFTER INSERT ON dir_service_term BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE service_id = new.service_id);
    DELETE FROM dir_sal_point WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE service_id = new.service_id);
END;

CREATE TRIGGER dir_sal_cache_term_unlink AFTER DELETE ON dir_service_term BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE service_id = old.service_id);
    DELETE FROM dir_sal_point WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE service_id = old.service_id);
END;

CREATE TRIGGER dir_sal_cache_term_update AFTER UPDATE OF code, taxonomy_id ON dir_taxonomy_term
WHEN old.code IS NOT new.code OR old.taxonomy_id IS NOT new.taxonomy_id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN
        (SELECT sal.rowid FROM dir_service_at_location sal
         JOIN dir_service_term st ON st.service_id = sal.service_id WHERE st.term_id = old.id);
    DELETE FROM dir_sal_point WHERE sal_rowid IN
        (SELECT sal.rowid FROM dir_service_at_location sal
         JOIN dir_service_term st ON st.service_id = sal.service_id WHERE st.term_id = old.id);
END;
