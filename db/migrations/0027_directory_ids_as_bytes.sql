-- 0027: the directory's UUIDs are stored as their 16 bytes. Each service,
-- organization, location and listing kept its id as 36 characters of text,
-- in its row and again in the id's unique index: at a million services
-- four indexes of 50 MB and 36 bytes in each of four million rows, all
-- written at random places by an import. wp_id(x) (db/id_key.c) gives a
-- lowercase UUID's 16 bytes as a BLOB and any other id as the text it is;
-- the two forms never compare equal, so each unique index still holds
-- every id once, and bytes sort as the lowercase text did. SQL reads an id
-- as wp_id_text(id) and looks one up as id = wp_id(?).
--
-- The listing cache's update triggers (0022) treat a changed id as a
-- changed listing; the text of every id is unchanged here, so they step
-- aside while the ids are rewritten and come back as they were.
DROP TRIGGER dir_sal_cache_sal_update;
DROP TRIGGER dir_sal_cache_location_update;
DROP TRIGGER dir_sal_cache_service_update;

UPDATE dir_service SET id = wp_id(id) WHERE typeof(wp_id(id)) = 'blob';
UPDATE dir_organization SET id = wp_id(id) WHERE typeof(wp_id(id)) = 'blob';
UPDATE dir_location SET id = wp_id(id) WHERE typeof(wp_id(id)) = 'blob';
UPDATE dir_service_at_location SET id = wp_id(id) WHERE typeof(wp_id(id)) = 'blob';

CREATE TRIGGER dir_sal_cache_sal_update AFTER UPDATE ON dir_service_at_location
WHEN old.rowid IS NOT new.rowid OR old.service_rowid IS NOT new.service_rowid
  OR old.location_rowid IS NOT new.location_rowid OR old.id IS NOT new.id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN (old.rowid, new.rowid);
    INSERT INTO dir_sal_dirty VALUES (new.rowid) ON CONFLICT DO NOTHING;
END;

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

CREATE TRIGGER dir_sal_cache_service_update AFTER UPDATE ON dir_service
WHEN old.raw IS NOT new.raw OR old.status IS NOT new.status OR old.id IS NOT new.id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE service_rowid = new.rowid);
    INSERT INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE service_rowid = new.rowid
        ON CONFLICT DO NOTHING;
END;
