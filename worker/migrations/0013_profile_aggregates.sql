-- Published counts per full profile (school, role, career stage, subject, grade band;
-- '' = not stated): respondents (competency_id '') and raters per competency. Only the
-- disclosure audit reads them (worker/src/domain/disclosure.ts), to know the true counts
-- behind the published tables without a GROUP BY over every published rating (5–6.5 s
-- at 100,000 responses in local D1; 14 ms from here). A publication step adds its batch
-- here in the same batch as it adds it to the other aggregates (worker/src/db/aggregates.ts).
CREATE TABLE profile_aggregates (
  campaign_id TEXT NOT NULL,
  competency_id TEXT NOT NULL,
  school TEXT NOT NULL,
  role TEXT NOT NULL,
  career_stage TEXT NOT NULL,
  subject TEXT NOT NULL,
  grade_band TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, competency_id, school, role, career_stage, subject, grade_band)
);

-- What is published already.
INSERT INTO profile_aggregates
SELECT p.campaign_id, '', COALESCE(p.school, ''), COALESCE(p.role, ''), COALESCE(p.career_stage, ''),
  COALESCE(p.subject, ''), COALESCE(p.grade_band, ''), COUNT(*)
FROM responses p WHERE p.published_step IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO profile_aggregates
SELECT p.campaign_id, r.competency_id, COALESCE(p.school, ''), COALESCE(p.role, ''), COALESCE(p.career_stage, ''),
  COALESCE(p.subject, ''), COALESCE(p.grade_band, ''), COUNT(*)
FROM response_ratings r JOIN responses p ON p.id = r.response_id
WHERE p.published_step IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7;
