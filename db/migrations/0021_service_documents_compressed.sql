-- 0021: a service's document (dir_service.raw) may be stored compressed:
-- a BLOB made by src/db/doc_zip.c (zstd against an embedded dictionary of
-- the taxonomy terms the documents repeat) instead of TEXT, which cuts the
-- largest table to about a quarter. Rows written before stay TEXT.
-- wp_doc(raw) gives the text either way; it is a function of the waypost
-- binary, so the full-text index's triggers (0019) are made again to read
-- the document through it. The sqlite3 shell can still read the directory
-- (wp_doc(raw) is then unknown: read raw where it is TEXT) but cannot
-- change a service's name or document: use the staff portal or an import.
DROP TRIGGER dir_service_fts_insert;
DROP TRIGGER dir_service_fts_update;

CREATE TRIGGER dir_service_fts_insert AFTER INSERT ON dir_service
WHEN (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS NOT 1
BEGIN
    INSERT INTO dir_service_fts(rowid, name, alternate_name, description)
    VALUES (new.rowid, new.name, coalesce(json_extract(wp_doc(new.raw), '$.alternate_name'), ''),
            coalesce(json_extract(wp_doc(new.raw), '$.description'), ''));
END;

CREATE TRIGGER dir_service_fts_update AFTER UPDATE OF name, raw ON dir_service
WHEN (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS NOT 1
BEGIN
    DELETE FROM dir_service_fts WHERE rowid = old.rowid;
    INSERT INTO dir_service_fts(rowid, name, alternate_name, description)
    VALUES (new.rowid, new.name, coalesce(json_extract(wp_doc(new.raw), '$.alternate_name'), ''),
            coalesce(json_extract(wp_doc(new.raw), '$.description'), ''));
END;
