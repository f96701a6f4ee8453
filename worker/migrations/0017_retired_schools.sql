-- Schools that have closed or left the district: a roster import that retires the staff
-- its file does not list (0016) retires the schools it does not list too, after the same
-- preview. A retired school keeps every answer given there and its place in the results
-- of the campaigns that knew it, but is no longer offered as an answer to "Your school",
-- nor listed in the response rates of campaigns begun after it left. Named in a later
-- roster file, it is a school of the district again. NULL: in the district.
ALTER TABLE schools ADD COLUMN retired_at TEXT;
