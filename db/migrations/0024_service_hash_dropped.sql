-- 0024: dir_service.raw_hash goes. It told an unchanged service on
-- re-import by a hash of its text (32 hex characters a service, 33 MB at
-- a million). Since 0021 the stored document is compressed, and the same
-- text with the same dictionary compresses to the same bytes, so the
-- importer compares the stored bytes (and, when they differ, the stored
-- text: another zstd version may have made other bytes) instead.
ALTER TABLE dir_service DROP COLUMN raw_hash;
