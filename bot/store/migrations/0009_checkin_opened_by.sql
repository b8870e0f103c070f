-- Who launched a check-in by command (NULL when the monthly rule opened it): that person is
-- not reminded of the check-in she launched herself.
ALTER TABLE checkins ADD COLUMN opened_by TEXT;
