-- 0019: an import brings the services' full-text index up to date once,
-- at its end, instead of row by row. Written row by row (0014's triggers),
-- every later statement of the import's transaction paid for FTS5's
-- savepoint, which flushes its pending terms: a quarter of a large
-- import's CPU. While dir_fts_defer.deferring is 1 (set and cleared by the
-- importer inside its own transaction, so a crash or a rollback leaves it
-- 0) the triggers note the changed service rowids in dir_fts_pending, and
-- the importer re-indexes those rows before it commits. Any other writer
-- (the staff portal, the sqlite3 shell) sees deferring 0 and the index
-- kept row by row, as before.
CREATE TABLE dir_fts_defer (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    deferring INTEGER NOT NULL DEFAULT 0
);
INSERT INTO dir_fts_defer(id, deferring) VALUES (1, 0);

CREATE TABLE dir_fts_pending (
    service_rowid INTEGER PRIMARY KEY   -- dir_service.rowid, to re-index
);

DROP TRIGGER dir_service_fts_insert;
DROP TRIGGER dir_service_fts_delete;
DROP TRIGGER dir_service_fts_update;

CREATE TRIGGER dir_service_fts_insert AFTER INSERT ON dir_service
WHEN (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS NOT 1
BEGIN
    INSERT INTO dir_service_fts(rowid, name, alternate_name, description)
    VALUES (new.rowid, new.name, coalesce(json_extract(new.raw, '$.alternate_name'), ''),
            coalesce(json_extract(new.raw, '$.description'), ''));
END;

CREATE TRIGGER dir_service_fts_delete AFTER DELETE ON dir_service
WHEN (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS NOT 1
BEGIN
    DELETE FROM dir_service_fts WHERE rowid = old.rowid;
END;

CREATE TRIGGER dir_service_fts_update AFTER UPDATE OF name, raw ON dir_service
WHEN (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS NOT 1
BEGIN
    DELETE FROM dir_service_fts WHERE rowid = old.rowid;
    INSERT INTO dir_service_fts(rowid, name, alternate_name, description)
    VALUES (new.rowid, new.name, coalesce(json_extract(new.raw, '$.alternate_name'), ''),
            coalesce(json_extract(new.raw, '$.description'), ''));
END;

CREATE TRIGGER dir_service_fts_insert_later AFTER INSERT ON dir_service
WHEN (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS 1
BEGIN
    INSERT INTO dir_fts_pending(service_rowid) VALUES (new.rowid) ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER dir_service_fts_delete_later AFTER DELETE ON dir_service
WHEN (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS 1
BEGIN
    INSERT INTO dir_fts_pending(service_rowid) VALUES (old.rowid) ON CONFLICT DO NOTHING;
END;

CREATE TRIGGER dir_service_fts_update_later AFTER UPDATE OF name, raw ON dir_service
WHEN (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS 1
BEGIN
    INSERT INTO dir_fts_pending(service_rowid) VALUES (old.rowid) ON CONFLICT DO NOTHING;
    INSERT INTO dir_fts_pending(service_rowid) VALUES (new.rowid) ON CONFLICT DO NOTHING;
END;
