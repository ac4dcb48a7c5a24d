-- 0007: a generation number for the map index. The server's watcher sees
-- every write to the file (PRAGMA data_version), including a visitor's
-- "report a problem"; it now rebuilds the index only when this number
-- moves (any change to dir_sal_point, the index's only input) or listings
-- wait on the dirty list, so reports no longer rebuild the map.
CREATE TABLE dir_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
INSERT INTO dir_generation VALUES (1, 0);

CREATE TRIGGER dir_generation_point_insert AFTER INSERT ON dir_sal_point BEGIN
    UPDATE dir_generation SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER dir_generation_point_update AFTER UPDATE ON dir_sal_point
WHEN old.latitude IS NOT new.latitude OR old.longitude IS NOT new.longitude OR old.codes IS NOT new.codes
  OR old.sal_rowid IS NOT new.sal_rowid
BEGIN
    UPDATE dir_generation SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER dir_generation_point_delete AFTER DELETE ON dir_sal_point BEGIN
    UPDATE dir_generation SET n = n + 1 WHERE id = 1;
END;
