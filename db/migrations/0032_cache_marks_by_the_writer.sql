-- 0032: three row triggers of the listing cache done by the code that
-- writes those rows (src/hsds/hsds_store.c, the only writer of each), and
-- the services' two insert triggers for the search index made one.
--
-- Every trigger that fires runs a program of its own (a frame allocated,
-- cursors opened); an import of a new service fired five or six, and at a
-- million services they were a sixth of the import's writing thread. The
-- effects are kept:
-- - a listing inserted goes on the dirty list (dir_sal_cache_sal_insert):
--   hsds_store_put_sal puts it there, unless its caller writes its cache
--   in the same transaction;
-- - a term linked puts its service's listings on the dirty list
--   (dir_sal_cache_term_link): hsds_store_link_term does, for a service
--   that may have listings (a new one has none yet);
-- - a point inserted moves the generation (dir_generation_point_insert):
--   whoever writes points moves it once a transaction
--   (hsds_store_generation_bump); a point updated or deleted still moves
--   it by trigger.
DROP TRIGGER dir_sal_cache_sal_insert;
DROP TRIGGER dir_sal_cache_term_link;
DROP TRIGGER dir_generation_point_insert;

DROP TRIGGER dir_service_fts_insert;
DROP TRIGGER dir_service_fts_insert_later;
-- indexed now, or noted for the import's catch-up while it defers the
-- index (migration 0019)
CREATE TRIGGER dir_service_fts_insert AFTER INSERT ON dir_service
BEGIN
    INSERT INTO dir_service_fts(rowid, name, alternate_name, description)
    SELECT new.rowid, new.name, coalesce(json_extract(wp_doc(new.raw), '$.alternate_name'), ''),
           coalesce(json_extract(wp_doc(new.raw), '$.description'), '')
    WHERE (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS NOT 1;
    INSERT INTO dir_fts_pending(service_rowid)
    SELECT new.rowid WHERE (SELECT deferring FROM dir_fts_defer WHERE id = 1) IS 1
    ON CONFLICT DO NOTHING;
END;
