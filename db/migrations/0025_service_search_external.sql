-- 0025: the services' full-text index keeps no copy of the text. Since
-- 0014 dir_service_fts stored each service's name, alternate name and
-- description again (dir_service_fts_content, 35 MB at a million) and
-- each row's column sizes (dir_service_fts_docsize, 12 MB), though the
-- API's search= only asks which rows match (ordered by id, never ranked).
-- Now the index reads its text, when it needs it, from the view
-- dir_service_fts_text (FTS5 "external content"), and keeps no sizes.
--
-- With external content the index removes a row's words only when told
-- them, so every change says them while the old document is still in
-- hand: the triggers remove a service's old words at once (with
-- wp_doc(old.raw)) and add the new ones at once, or, while an import
-- defers the index (0019: dir_fts_defer), note the row in
-- dir_fts_pending for the import to add before it commits. A row on that
-- list is never in the index, so its removal removes nothing.
DROP TRIGGER dir_service_fts_insert;
DROP TRIGGER dir_service_fts_delete;
DROP TRIGGER dir_service_fts_update;
DROP TRIGGER dir_service_fts_insert_later;
DROP TRIGGER dir_service_fts_delete_later;
DROP TRIGGER dir_service_fts_update_later;
DROP TABLE dir_service_fts;
DELETE FROM dir_fts_pending;

CREATE VIEW dir_service_fts_text AS
SELECT rowid, name, coalesce(json_extract(wp_doc(raw), '$.alternate_name'), '') AS alternate_name,
       coalesce(json_extract(wp_doc(raw), '$.description'), '') AS description
FROM dir_service;

CREATE VIRTUAL TABLE dir_service_fts USING fts5(
    name, alternate_name, description,
    content = 'dir_service_fts_text', content_rowid = 'rowid', columnsize = 0,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO dir_service_fts(dir_service_fts) VALUES ('rebuild');

CREATE TRIGGER dir_service_fts_insert AFTER INSERT ON dir_service
WHEN (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS NOT 1
BEGIN
    INSERT INTO dir_service_fts(rowid, name, alternate_name, description)
    VALUES (new.rowid, new.name, coalesce(json_extract(wp_doc(new.raw), '$.alternate_name'), ''),
            coalesce(json_extract(wp_doc(new.raw), '$.description'), ''));
END;

CREATE TRIGGER dir_service_fts_insert_later AFTER INSERT ON dir_service
WHEN (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS 1
BEGIN
    INSERT INTO dir_fts_pending(service_rowid) VALUES (new.rowid) ON CONFLICT DO NOTHING;
END;

-- the old words out, unless the row is waiting to be indexed
CREATE TRIGGER dir_service_fts_delete AFTER DELETE ON dir_service
WHEN old.rowid NOT IN (SELECT service_rowid FROM dir_fts_pending)
BEGIN
    INSERT INTO dir_service_fts(dir_service_fts, rowid, name, alternate_name, description)
    VALUES ('delete', old.rowid, old.name, coalesce(json_extract(wp_doc(old.raw), '$.alternate_name'), ''),
            coalesce(json_extract(wp_doc(old.raw), '$.description'), ''));
END;

CREATE TRIGGER dir_service_fts_delete_pending AFTER DELETE ON dir_service
WHEN old.rowid IN (SELECT service_rowid FROM dir_fts_pending)
BEGIN
    DELETE FROM dir_fts_pending WHERE service_rowid = old.rowid;
END;

-- an update: the old words out (unless waiting), then the new ones in,
-- now or, while deferred, at the import's end
CREATE TRIGGER dir_service_fts_update AFTER UPDATE OF name, raw ON dir_service
BEGIN
    INSERT INTO dir_service_fts(dir_service_fts, rowid, name, alternate_name, description)
    SELECT 'delete', old.rowid, old.name, coalesce(json_extract(wp_doc(old.raw), '$.alternate_name'), ''),
           coalesce(json_extract(wp_doc(old.raw), '$.description'), '')
    WHERE old.rowid NOT IN (SELECT service_rowid FROM dir_fts_pending);
    INSERT INTO dir_fts_pending(service_rowid)
    SELECT new.rowid WHERE (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS 1
    ON CONFLICT DO NOTHING;
    INSERT INTO dir_service_fts(rowid, name, alternate_name, description)
    SELECT new.rowid, new.name, coalesce(json_extract(wp_doc(new.raw), '$.alternate_name'), ''),
           coalesce(json_extract(wp_doc(new.raw), '$.description'), '')
    WHERE (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS NOT 1;
END;
