-- 0022: the directory's link tables name services, locations and terms by
-- row number instead of by UUID text. A listing (dir_service_at_location)
-- carried its service's and location's UUIDs (36 bytes each) and an index
-- on each; a term link (dir_service_term) was keyed by two UUIDs and
-- indexed again the other way. At 200,000 services those were 110 MB of
-- the file (now 29 MB), and because the UUIDs are random every row an import added
-- went to a different page of four large indexes. Numbers are 1 to 4
-- bytes, and an import's new rows take rising numbers, so they go to the
-- end of each index. The UUIDs stay where they belong: each service,
-- location and term keeps its own (unique) id, which the API and the
-- documents use.
--
-- dir_taxonomy_term becomes a rowid table (it was keyed by its text id) so
-- a link can name a term by number. Row numbers of listings are kept, so
-- the listing cache and the map's kept copy stay valid. The listing
-- cache's triggers (0004, 0006) are made again for the new columns.

-- Foreign keys are checked at the commit, once every table is in place.
PRAGMA defer_foreign_keys = ON;

-- The old tables step aside (a rename also points the links that name
-- them at their new names), the new ones take the names, then the old ones
-- go (children first; dropping a table fires no trigger).
ALTER TABLE dir_service_term RENAME TO dir_service_term_old;
ALTER TABLE dir_service_at_location RENAME TO dir_service_at_location_old;
ALTER TABLE dir_taxonomy_term RENAME TO dir_taxonomy_term_old;
DROP INDEX dir_term_code;
DROP INDEX dir_service_term_term;
DROP INDEX dir_sal_service;
DROP INDEX dir_sal_location;

CREATE TABLE dir_taxonomy_term (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    taxonomy TEXT NOT NULL DEFAULT '',
    taxonomy_id TEXT,
    parent_id TEXT,
    raw TEXT NOT NULL
);
INSERT INTO dir_taxonomy_term(id, code, name, taxonomy, taxonomy_id, parent_id, raw)
    SELECT id, code, name, taxonomy, taxonomy_id, parent_id, raw FROM dir_taxonomy_term_old ORDER BY id;

CREATE TABLE dir_service_term (
    service_rowid INTEGER NOT NULL REFERENCES dir_service(rowid) ON DELETE CASCADE,
    term_rowid INTEGER NOT NULL REFERENCES dir_taxonomy_term(rowid),
    link_type TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_rowid, term_rowid)
) WITHOUT ROWID;
INSERT INTO dir_service_term(service_rowid, term_rowid, link_type)
    SELECT s.rowid, t.rowid, st.link_type FROM dir_service_term_old st
    JOIN dir_service s ON s.id = st.service_id JOIN dir_taxonomy_term t ON t.id = st.term_id
    ORDER BY s.rowid, t.rowid;

CREATE TABLE dir_service_at_location (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    service_rowid INTEGER NOT NULL REFERENCES dir_service(rowid) ON DELETE CASCADE,
    location_rowid INTEGER NOT NULL REFERENCES dir_location(rowid)
);
INSERT INTO dir_service_at_location(rowid, id, service_rowid, location_rowid)
    SELECT sal.rowid, sal.id, s.rowid, l.rowid FROM dir_service_at_location_old sal
    JOIN dir_service s ON s.id = sal.service_id JOIN dir_location l ON l.id = sal.location_id
    ORDER BY sal.rowid;

DROP TABLE dir_service_term_old;
DROP TABLE dir_service_at_location_old;
DROP TABLE dir_taxonomy_term_old;

CREATE INDEX dir_term_code ON dir_taxonomy_term(taxonomy_id, code);
CREATE INDEX dir_service_term_term ON dir_service_term(term_rowid);
CREATE INDEX dir_sal_service ON dir_service_at_location(service_rowid);
CREATE INDEX dir_sal_location ON dir_service_at_location(location_rowid);

-- An organization's services were indexed with their ids beside the
-- organization's (0006), to read them in id order; an organization has a
-- few services, which sort in no time, and the id made each entry twice
-- as wide.
DROP INDEX dir_service_organization;
CREATE INDEX dir_service_organization ON dir_service(organization_id);

-- the listing cache's triggers (0006's, by number; those on the dropped
-- tables went with them)
CREATE TRIGGER dir_sal_cache_sal_insert AFTER INSERT ON dir_service_at_location BEGIN
    INSERT INTO dir_sal_dirty VALUES (new.rowid) ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER dir_sal_cache_sal_delete AFTER DELETE ON dir_service_at_location BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid = old.rowid;
    DELETE FROM dir_sal_point WHERE sal_rowid = old.rowid;
    DELETE FROM dir_sal_dirty WHERE sal_rowid = old.rowid;
END;

CREATE TRIGGER dir_sal_cache_sal_update AFTER UPDATE ON dir_service_at_location
WHEN old.rowid IS NOT new.rowid OR old.service_rowid IS NOT new.service_rowid
  OR old.location_rowid IS NOT new.location_rowid OR old.id IS NOT new.id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN (old.rowid, new.rowid);
    INSERT INTO dir_sal_dirty VALUES (new.rowid) ON CONFLICT DO NOTHING;
END;

DROP TRIGGER dir_sal_cache_location_update;
CREATE TRIGGER dir_sal_cache_location_update AFTER UPDATE ON dir_location
WHEN old.raw IS NOT new.raw OR old.latitude IS NOT new.latitude OR old.longitude IS NOT new.longitude
  OR old.id IS NOT new.id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE location_rowid = new.rowid);
    INSERT INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE location_rowid = new.rowid
        ON CONFLICT DO NOTHING;
END;

DROP TRIGGER dir_sal_cache_service_update;
CREATE TRIGGER dir_sal_cache_service_update AFTER UPDATE ON dir_service
WHEN old.raw IS NOT new.raw OR old.status IS NOT new.status OR old.id IS NOT new.id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE service_rowid = new.rowid);
    INSERT INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE service_rowid = new.rowid
        ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER dir_sal_cache_term_link AFTER INSERT ON dir_service_term BEGIN
    INSERT INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE service_rowid = new.service_rowid
        ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER dir_sal_cache_term_unlink AFTER DELETE ON dir_service_term BEGIN
    INSERT INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE service_rowid = old.service_rowid
        ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER dir_sal_cache_term_update AFTER UPDATE OF code, taxonomy_id ON dir_taxonomy_term
WHEN old.code IS NOT new.code OR old.taxonomy_id IS NOT new.taxonomy_id
BEGIN
    INSERT INTO dir_sal_dirty
        SELECT sal.rowid FROM dir_service_at_location sal
        JOIN dir_service_term st ON st.service_rowid = sal.service_rowid WHERE st.term_rowid = new.rowid
        ON CONFLICT DO NOTHING;
END;
