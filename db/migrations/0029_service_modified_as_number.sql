-- 0029: when a service last changed is kept as seconds since 1970
-- (dir_service.modified, an integer of 4 to 6 bytes) instead of the text
-- 'YYYY-MM-DDTHH:MM:SSZ' (20 bytes in every row and again in its index:
-- 36 MB at a million services). SQL writes unixepoch(), compares
-- unixepoch(?) and gives strftime('%Y-%m-%dT%H:%M:%SZ', modified,
-- 'unixepoch'), the same text as before.
DROP INDEX dir_service_modified;
ALTER TABLE dir_service ADD COLUMN modified INTEGER NOT NULL DEFAULT 0;
UPDATE dir_service SET modified = coalesce(unixepoch(modified_at), 0);
ALTER TABLE dir_service DROP COLUMN modified_at;
CREATE INDEX dir_service_modified ON dir_service(modified);
