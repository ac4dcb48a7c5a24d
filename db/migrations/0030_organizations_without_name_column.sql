-- 0030: an organization's name is read from its document. The column
-- dir_organization.name copied the document's "name" (16 MB at a million
-- services); the API's organization search, the staff listings and the
-- report queue read json_extract(wp_doc(raw), '$.name') instead, once per
-- row they show or test.
ALTER TABLE dir_organization DROP COLUMN name;
