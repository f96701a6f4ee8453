-- Storing a response is a single INSERT into responses: this trigger derives its rating,
-- interest and strategy rows from the answers and adds them to the running aggregates,
-- inside that statement's transaction. One statement means one round trip to the
-- database per submission. A row skipped by ON CONFLICT DO NOTHING (a repeated
-- idempotency key) or by the insert's own guards fires nothing, so it writes nothing.
CREATE TRIGGER trg_responses_after_insert AFTER INSERT ON responses
BEGIN
  INSERT INTO response_ratings (response_id, campaign_id, competency_id, importance, proficiency)
  SELECT NEW.id, NEW.campaign_id, r.key, json_extract(r.value, '$.importance'), json_extract(r.value, '$.proficiency')
  FROM json_each(NEW.answers, '$.ratings') AS r;

  INSERT INTO response_interests (response_id, campaign_id, competency_id)
  SELECT NEW.id, NEW.campaign_id, i.value FROM json_each(NEW.answers, '$.interests') AS i;

  INSERT INTO response_strategies (response_id, campaign_id, strategy_id, position)
  SELECT NEW.id, NEW.campaign_id, s.value, s.key + 1 FROM json_each(NEW.answers, '$.strategies') AS s;

  INSERT INTO rating_aggregates
  SELECT r.campaign_id, d.value,
    CASE d.value WHEN 'school' THEN COALESCE(NEW.school, '') WHEN 'role' THEN COALESCE(NEW.role, '')
      WHEN 'careerStage' THEN COALESCE(NEW.career_stage, '') WHEN 'subject' THEN COALESCE(NEW.subject, '')
      WHEN 'gradeBand' THEN COALESCE(NEW.grade_band, '') ELSE '' END,
    r.competency_id, 1, r.importance, r.proficiency, r.importance - r.proficiency,
    (r.importance - r.proficiency) * (r.importance - r.proficiency), r.importance - r.proficiency >= 2
  FROM response_ratings AS r
    CROSS JOIN json_each('["school","role","careerStage","subject","gradeBand"]') AS d
  WHERE r.response_id = NEW.id
  ON CONFLICT (campaign_id, dimension, segment, competency_id) DO UPDATE SET
    n = n + excluded.n, sum_importance = sum_importance + excluded.sum_importance,
    sum_proficiency = sum_proficiency + excluded.sum_proficiency,
    sum_discrepancy = sum_discrepancy + excluded.sum_discrepancy,
    sum_discrepancy_squared = sum_discrepancy_squared + excluded.sum_discrepancy_squared,
    high_need = high_need + excluded.high_need;

  INSERT INTO response_counts (campaign_id, school, n) VALUES (NEW.campaign_id, COALESCE(NEW.school, ''), 1)
  ON CONFLICT (campaign_id, school) DO UPDATE SET n = n + 1;

  INSERT INTO interest_aggregates (campaign_id, competency_id, n)
  SELECT NEW.campaign_id, i.value, 1 FROM json_each(NEW.answers, '$.interests') AS i WHERE true
  ON CONFLICT (campaign_id, competency_id) DO UPDATE SET n = n + 1;

  INSERT INTO need_strategy_aggregates (campaign_id, competency_id, strategy_id, n, first_choice)
  SELECT r.campaign_id, r.competency_id, s.strategy_id, 1, s.position = 1
  FROM response_ratings AS r JOIN response_strategies AS s ON s.response_id = r.response_id
  WHERE r.response_id = NEW.id AND r.importance - r.proficiency >= 2
  ON CONFLICT (campaign_id, competency_id, strategy_id) DO UPDATE SET
    n = n + 1, first_choice = first_choice + excluded.first_choice;
END;
