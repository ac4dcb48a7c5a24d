-- 0011: PLACEHOLDER on the spikes branch only. Migration 0011 belongs to
-- the community reports helper (table community_report); migrations may
-- not have gaps, so this empty file holds the number until the branches
-- merge. At the merge: delete this file, keep the reports helper's 0011,
-- and run tools/gen_hsds_tables.py to re-record SHA256SUMS.
SELECT 1;
