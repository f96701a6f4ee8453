-- Published figures move in steps. Two reads of a live figure told apart one respondent's
-- answers (6 × mean₆ − 5 × mean₅ is the sixth person's rating), so the dashboard no longer
-- reads sums that every submission updates. A response is stored as pending; a read first
-- publishes a batch of pending responses in which every group of every published table
-- gains nobody or at least k people (worker/src/domain/publication.ts says why that is
-- the rule and how the batch is chosen), then reads the published sums.
--
-- The aggregate tables of migration 0002 now hold the published sums only: the store
-- trigger stops adding to them, and publishing a batch adds the batch's sums.

-- NULL while pending; the number of the publication step that took it in, after.
ALTER TABLE responses ADD COLUMN published_step INTEGER;
-- Finding a campaign's pending responses reads this small index, not the whole table.
CREATE INDEX idx_responses_pending ON responses (campaign_id) WHERE published_step IS NULL;

-- The campaign's last step, and a token naming the attempt that took it: two reads that
-- publish at once both propose step n + 1, and only the one whose token is stored adds
-- its sums (every statement of a step checks the token, inside the same transaction).
ALTER TABLE campaigns ADD COLUMN published_step INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaigns ADD COLUMN publish_token TEXT;
-- Responses received, published or pending: how the campaign is going (it says that someone
-- answered, never what). Kept by the store trigger, so reading it costs the same at any size.
ALTER TABLE campaigns ADD COLUMN responses_received INTEGER NOT NULL DEFAULT 0;
UPDATE campaigns SET responses_received = (SELECT COUNT(*) FROM responses p WHERE p.campaign_id = campaigns.id);

-- Published respondents per campaign and segment of every dimension ('' = not stated):
-- the groups whose growth the step rule checks, and the response rates per school.
CREATE TABLE respondent_aggregates (
  campaign_id TEXT NOT NULL,
  dimension TEXT NOT NULL CHECK (dimension IN ('school', 'role', 'careerStage', 'subject', 'gradeBand')),
  segment TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, dimension, segment)
);

-- Everything stored before this migration was already readable live, so it is published
-- as step 0: publishing it again in steps would hide nothing that was not already shown.
UPDATE responses SET published_step = 0;
INSERT INTO respondent_aggregates
SELECT p.campaign_id, d.value,
  CASE d.value WHEN 'school' THEN COALESCE(p.school, '') WHEN 'role' THEN COALESCE(p.role, '')
    WHEN 'careerStage' THEN COALESCE(p.career_stage, '') WHEN 'subject' THEN COALESCE(p.subject, '')
    WHEN 'gradeBand' THEN COALESCE(p.grade_band, '') ELSE '' END,
  COUNT(*)
FROM responses p CROSS JOIN json_each('["school","role","careerStage","subject","gradeBand"]') d
GROUP BY 1, 2, 3;

-- The per-school counts are respondent_aggregates' school rows now.
DROP TABLE response_counts;

-- The store trigger derives the per-response rows and counts the response, nothing more.
DROP TRIGGER trg_responses_after_insert;
CREATE TRIGGER trg_responses_after_insert AFTER INSERT ON responses
BEGIN
  INSERT INTO response_ratings (response_id, campaign_id, competency_id, importance, proficiency)
  SELECT NEW.id, NEW.campaign_id, r.key, json_extract(r.value, '$.importance'), json_extract(r.value, '$.proficiency')
  FROM json_each(NEW.answers, '$.ratings') AS r;

  INSERT INTO response_interests (response_id, campaign_id, competency_id)
  SELECT NEW.id, NEW.campaign_id, i.value FROM json_each(NEW.answers, '$.interests') AS i;

  INSERT INTO response_strategies (response_id, campaign_id, strategy_id, position)
  SELECT NEW.id, NEW.campaign_id, s.value, s.key + 1 FROM json_each(NEW.answers, '$.strategies') AS s;

  UPDATE campaigns SET responses_received = responses_received + 1 WHERE id = NEW.campaign_id;
END;
