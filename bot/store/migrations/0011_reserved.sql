-- Placeholder on the ``consent`` branch only: number 0011 belongs to another branch (the
-- numbers must run without gaps). Drop this file when merging that branch's 0011.
SELECT 1;
