-- 0006: indexes for every link the API and the report form follow, and
-- listing-cache triggers that cannot abort an import.
--
-- Before: /api/v1/organizations?full=true scanned every service once per
-- organization (no index on dir_service.organization_id), and each "report
-- a problem" scanned every report to count that listing's reports today.
CREATE INDEX dir_service_organization ON dir_service(organization_id, id);
CREATE INDEX dir_service_modified ON dir_service(modified_at);
CREATE INDEX dir_report_service ON dir_report(service_id, created_at);
CREATE INDEX dir_report_created ON dir_report(created_at);

-- A trigger's "INSERT OR IGNORE" takes the conflict rule of the statement
-- that fired it, so an upsert of a location two services share (with
-- different text) failed on the dirty list's primary key and aborted the
-- whole import. An upsert clause inside the trigger is not overridden.
DROP TRIGGER dir_sal_cache_sal_insert;
CREATE TRIGGER dir_sal_cache_sal_insert AFTER INSERT ON dir_service_at_location BEGIN
    INSERT INTO dir_sal_dirty VALUES (new.rowid) ON CONFLICT DO NOTHING;
END;

DROP TRIGGER dir_sal_cache_sal_update;
CREATE TRIGGER dir_sal_cache_sal_update AFTER UPDATE ON dir_service_at_location
WHEN old.rowid IS NOT new.rowid OR old.service_id IS NOT new.service_id OR old.location_id IS NOT new.location_id
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
        (SELECT rowid FROM dir_service_at_location WHERE location_id IN (old.id, new.id));
    INSERT INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE location_id IN (old.id, new.id)
        ON CONFLICT DO NOTHING;
END;

DROP TRIGGER dir_sal_cache_service_update;
CREATE TRIGGER dir_sal_cache_service_update AFTER UPDATE ON dir_service
WHEN old.raw IS NOT new.raw OR old.status IS NOT new.status OR old.id IS NOT new.id
BEGIN
    DELETE FROM dir_sal_brief WHERE sal_rowid IN
        (SELECT rowid FROM dir_service_at_location WHERE service_id IN (old.id, new.id));
    INSERT INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE service_id IN (old.id, new.id)
        ON CONFLICT DO NOTHING;
END;

DROP TRIGGER dir_sal_cache_term_link;
CREATE TRIGGER dir_sal_cache_term_link AFTER INSERT ON dir_service_term BEGIN
    INSERT INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE service_id = new.service_id
        ON CONFLICT DO NOTHING;
END;

DROP TRIGGER dir_sal_cache_term_unlink;
CREATE TRIGGER dir_sal_cache_term_unlink AFTER DELETE ON dir_service_term BEGIN
    INSERT INTO dir_sal_dirty
        SELECT rowid FROM dir_service_at_location WHERE service_id = old.service_id
        ON CONFLICT DO NOTHING;
END;

DROP TRIGGER dir_sal_cache_term_update;
CREATE TRIGGER dir_sal_cache_term_update AFTER UPDATE OF code, taxonomy_id ON dir_taxonomy_term
WHEN old.code IS NOT new.code OR old.taxonomy_id IS NOT new.taxonomy_id
BEGIN
    INSERT INTO dir_sal_dirty
        SELECT sal.rowid FROM dir_service_at_location sal
        JOIN dir_service_term st ON st.service_id = sal.service_id WHERE st.term_id = old.id
        ON CONFLICT DO NOTHING;
END;
