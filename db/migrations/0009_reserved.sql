-- 0009: a placeholder. The checkin branch was given 0010 while 0009 went to
-- another branch, and migrations must be numbered without gaps; delete this
-- file when that branch's 0009 is merged (or renumber 0010 to 0009).
SELECT 1;
