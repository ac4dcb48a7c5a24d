-- 0020: a packed copy of the map index's input (issue 18, start-up at a
-- million listings). At start the server read every listing's point from
-- dir_sal_point (0.6 s at a million) before it could answer. It now keeps
-- what it read here, labelled with the directory's stamp
-- (dir_generation.n, which every change to a point moves) and the
-- taxonomy's codes and bits, and reads this copy instead while both still
-- match; a copy that does not match, or does not check out (src/locator/
-- map_snapshot.c), is ignored and replaced after the next full read.
-- Nothing else reads or writes it.
CREATE TABLE dir_map_snapshot (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL,
    taxonomy TEXT NOT NULL,
    points BLOB NOT NULL
);
