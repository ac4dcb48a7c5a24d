-- 0014: full-text search for the API's search= parameter. It was a
-- substring scan of every service (lower() and json_extract over each raw
-- document: 0.3-0.46 s a query at 32,000 services); now an FTS5 index over
-- the service's name, alternate name and description, kept by triggers on
-- dir_service, answers it (the rule is in data/openapi.json). The rowid is
-- dir_service.rowid. Diacritics are folded, as site search does.
CREATE VIRTUAL TABLE dir_service_fts USING fts5(
    name, alternate_name, description,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO dir_service_fts(rowid, name, alternate_name, description)
SELECT rowid, name, coalesce(json_extract(raw, '$.alternate_name'), ''), coalesce(json_extract(raw, '$.description'), '')
FROM dir_service;

CREATE TRIGGER dir_service_fts_insert AFTER INSERT ON dir_service BEGIN
    INSERT INTO dir_service_fts(rowid, name, alternate_name, description)
    VALUES (new.rowid, new.name, coalesce(json_extract(new.raw, '$.alternate_name'), ''),
            coalesce(json_extract(new.raw, '$.description'), ''));
END;

CREATE TRIGGER dir_service_fts_delete AFTER DELETE ON dir_service BEGIN
    DELETE FROM dir_service_fts WHERE rowid = old.rowid;
END;

CREATE TRIGGER dir_service_fts_update AFTER UPDATE OF name, raw ON dir_service BEGIN
    DELETE FROM dir_service_fts WHERE rowid = old.rowid;
    INSERT INTO dir_service_fts(rowid, name, alternate_name, description)
    VALUES (new.rowid, new.name, coalesce(json_extract(new.raw, '$.alternate_name'), ''),
            coalesce(json_extract(new.raw, '$.description'), ''));
END;
