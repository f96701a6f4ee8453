-- Running aggregates, updated in the same transaction that stores a response, so that a
-- dashboard read costs the same for 100 or 100,000 responses: it reads a few hundred
-- rows of sums instead of scanning every rating.

-- Σ I, Σ P, Σ D, Σ D², n and the count with D ≥ 2, per campaign, competency and segment
-- of each dimension of the answer contract; segment '' means "not stated", which is a
-- real group for suppression. There is no district row: every respondent is in exactly
-- one school segment, so the district figures are the sum over the school dimension,
-- which saves one upsert per rating on every submission.
CREATE TABLE rating_aggregates (
  campaign_id TEXT NOT NULL,
  dimension TEXT NOT NULL CHECK (dimension IN ('school', 'role', 'careerStage', 'subject', 'gradeBand')),
  segment TEXT NOT NULL,
  competency_id TEXT NOT NULL,
  n INTEGER NOT NULL,
  sum_importance INTEGER NOT NULL,
  sum_proficiency INTEGER NOT NULL,
  sum_discrepancy INTEGER NOT NULL,
  sum_discrepancy_squared INTEGER NOT NULL,
  high_need INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, dimension, segment, competency_id)
);

-- Respondents per campaign and school ('' = not stated): response rates and the
-- denominator of interest, without counting responses.
CREATE TABLE response_counts (
  campaign_id TEXT NOT NULL,
  school TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, school)
);

-- How many respondents ticked interest in each competency.
CREATE TABLE interest_aggregates (
  campaign_id TEXT NOT NULL,
  competency_id TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, competency_id)
);

-- Among respondents with a gap of 2 or more on a competency: how many chose each way of
-- learning, and how many put it first.
CREATE TABLE need_strategy_aggregates (
  campaign_id TEXT NOT NULL,
  competency_id TEXT NOT NULL,
  strategy_id TEXT NOT NULL,
  n INTEGER NOT NULL,
  first_choice INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, competency_id, strategy_id)
);

-- Observation or walkthrough rubric scores imported by the district, one import per
-- campaign (a new import replaces the old). The scale is stored with each row because
-- rubrics differ (1–4, 0–3, …).
CREATE TABLE evidence_scores (
  campaign_id TEXT NOT NULL,
  row_number INTEGER NOT NULL,
  competency_id TEXT NOT NULL,
  school TEXT NOT NULL,
  score REAL NOT NULL,
  scale_min REAL NOT NULL,
  scale_max REAL NOT NULL,
  PRIMARY KEY (campaign_id, row_number)
);
CREATE INDEX idx_evidence_scores_campaign_id ON evidence_scores (campaign_id, competency_id);

-- Responses stored before this migration count too (the same statements as
-- worker/src/db/aggregates.ts, over all responses at once).
INSERT INTO rating_aggregates
SELECT r.campaign_id, d.dimension,
  CASE d.dimension WHEN 'school' THEN COALESCE(p.school, '') WHEN 'role' THEN COALESCE(p.role, '')
    WHEN 'careerStage' THEN COALESCE(p.career_stage, '') WHEN 'subject' THEN COALESCE(p.subject, '')
    WHEN 'gradeBand' THEN COALESCE(p.grade_band, '') ELSE '' END,
  r.competency_id, COUNT(*), SUM(r.importance), SUM(r.proficiency), SUM(r.importance - r.proficiency),
  SUM((r.importance - r.proficiency) * (r.importance - r.proficiency)), SUM(r.importance - r.proficiency >= 2)
FROM response_ratings r JOIN responses p ON p.id = r.response_id
  CROSS JOIN (SELECT value AS dimension FROM json_each('["school","role","careerStage","subject","gradeBand"]')) d
GROUP BY 1, 2, 3, 4;
INSERT INTO response_counts
SELECT campaign_id, COALESCE(school, ''), COUNT(*) FROM responses GROUP BY campaign_id, COALESCE(school, '');
INSERT INTO interest_aggregates
SELECT campaign_id, competency_id, COUNT(*) FROM response_interests GROUP BY campaign_id, competency_id;
INSERT INTO need_strategy_aggregates
SELECT r.campaign_id, r.competency_id, s.strategy_id, COUNT(*), SUM(s.position = 1)
FROM response_ratings r JOIN response_strategies s ON s.response_id = r.response_id
WHERE r.importance - r.proficiency >= 2
GROUP BY r.campaign_id, r.competency_id, s.strategy_id;
