-- 0026: a service names its organization by row number. The UUID text in
-- dir_service.organization_id (36 bytes a service, and again in its index
-- dir_service_organization: 50 MB at a million services) was the last
-- link still kept by UUID; because the UUIDs are random, every service an
-- import added wrote to a random page of that index. The new column
-- organization_rowid is 1 to 4 bytes, and an import's new organizations
-- take rising numbers, so its index grows at the end.
--
-- SQLite cannot drop a column that a foreign key names, and rebuilding
-- dir_service would cascade to its listings, so organization_id stays in
-- the table, always NULL from here on (a NULL costs one header byte). Its
-- index stays too: SQLite checks that foreign key whenever an
-- organization is removed or its id changes (0027 rewrites every id), and
-- without an index each check reads every service. Its entries are all
-- NULL now, about 10 bytes each.
ALTER TABLE dir_service ADD COLUMN organization_rowid INTEGER REFERENCES dir_organization(rowid);
UPDATE dir_service SET organization_rowid = (SELECT o.rowid FROM dir_organization o WHERE o.id = dir_service.organization_id),
                       organization_id = NULL
WHERE organization_id IS NOT NULL;
CREATE INDEX dir_service_organization_row ON dir_service(organization_rowid);
