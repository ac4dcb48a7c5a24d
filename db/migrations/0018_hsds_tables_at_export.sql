-- 0018: the hsds_ tables (migration 0005) are no longer filled at import.
-- Every service document was stored three times over: whole in
-- dir_service.raw, split into one row per object in these tables (with an
-- index on each id and link column), and as the listing cache. Only the
-- export read these tables, so it now splits the stored documents into
-- temp tables of the same names when it runs (hsds_tables_fill), and the
-- import writes only the document: at 50,000 services this table set was
-- 36% of the file and most of the import's index writes. The tables stay
-- (empty) so that tools/gen_hsds_tables.py can keep comparing them with the
-- specification and the temp tables copy their columns.
DELETE FROM hsds_organization;
DELETE FROM hsds_program;
DELETE FROM hsds_service;
DELETE FROM hsds_attribute;
DELETE FROM hsds_service_at_location;
DELETE FROM hsds_location;
DELETE FROM hsds_phone;
DELETE FROM hsds_contact;
DELETE FROM hsds_address;
DELETE FROM hsds_schedule;
DELETE FROM hsds_funding;
DELETE FROM hsds_service_area;
DELETE FROM hsds_required_document;
DELETE FROM hsds_language;
DELETE FROM hsds_accessibility;
DELETE FROM hsds_metadata;
DELETE FROM hsds_meta_table_description;
DELETE FROM hsds_cost_option;
DELETE FROM hsds_organization_identifier;
