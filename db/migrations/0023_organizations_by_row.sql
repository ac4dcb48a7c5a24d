-- 0023: dir_organization becomes a rowid table with a unique id, as
-- dir_service and dir_location are. Keyed by its random UUID (WITHOUT
-- ROWID, 0003), each new organization's whole row (its document too) went
-- to a random page of the table: at a million services a 194 MB table of
-- which an import touched a new page for nearly every organization. Now
-- rows are added at the end and only the id's index (49 MB at a million)
-- is written at random: a file of 50,000 into the million took 9.0-9.7 s
-- instead of 10.9-11.4 s, and 2.7 s of system time instead of 4.3 s.
--
-- dir_service.organization_id names an organization by id; the old table
-- is dropped while services still name its rows, so the foreign keys are
-- checked at the commit, once the rows are back under the same name.
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE dir_organization_copy AS SELECT id, name, raw FROM dir_organization;
DROP TABLE dir_organization;
CREATE TABLE dir_organization (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    raw TEXT NOT NULL
);
INSERT INTO dir_organization(id, name, raw) SELECT id, name, raw FROM temp.dir_organization_copy ORDER BY id;
DROP TABLE temp.dir_organization_copy;
