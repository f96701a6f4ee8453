-- Σ I² and Σ I·D per cell of rating_aggregates: the standard error of the MWDS (Ī × D̄) is
-- the delta method's for a product of two means taken on the same people, which needs the
-- variance of I and its covariance with D as well as the variance of D
-- (worker/src/domain/focuses.ts).
ALTER TABLE rating_aggregates ADD COLUMN sum_importance_squared INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rating_aggregates ADD COLUMN sum_importance_discrepancy INTEGER NOT NULL DEFAULT 0;

-- The published sums so far, rebuilt from the stored ratings of the published responses (as
-- rebuildAggregates in worker/src/db/aggregates.ts does): the same rows and the same
-- published figures, now with the two new sums.
DELETE FROM rating_aggregates;
INSERT INTO rating_aggregates (campaign_id, dimension, segment, competency_id, n, sum_importance, sum_proficiency,
  sum_discrepancy, sum_importance_squared, sum_discrepancy_squared, sum_importance_discrepancy, high_need)
SELECT r.campaign_id, d.value,
  CASE d.value WHEN 'school' THEN COALESCE(p.school, '') WHEN 'role' THEN COALESCE(p.role, '')
    WHEN 'careerStage' THEN COALESCE(p.career_stage, '') WHEN 'subject' THEN COALESCE(p.subject, '')
    WHEN 'gradeBand' THEN COALESCE(p.grade_band, '') ELSE '' END,
  r.competency_id, COUNT(*), SUM(r.importance), SUM(r.proficiency), SUM(r.importance - r.proficiency),
  SUM(r.importance * r.importance), SUM((r.importance - r.proficiency) * (r.importance - r.proficiency)),
  SUM(r.importance * (r.importance - r.proficiency)), SUM(r.importance - r.proficiency >= 2)
FROM response_ratings r JOIN responses p ON p.id = r.response_id
  CROSS JOIN json_each('["school","role","careerStage","subject","gradeBand"]') d
WHERE p.published_step IS NOT NULL
GROUP BY 1, 2, 3, 4;
