-- A response's rating, interest and strategy rows are derived when it is published, not
-- when it is submitted. Nothing reads them before: only a publication step adds them to
-- the published aggregates (worker/src/db/aggregates.ts), and a step reads what a pending
-- response rated from its answers. So a submission writes its one row and counts itself,
-- and a step derives the rows of its whole batch with one statement per table, in the same
-- all-or-nothing batch that publishes them. (A submission's SQLite work halves this way:
-- 1.5–1.7 → 0.7–0.85 ms per answer in the sqlite3 shell over 2,000 demo answers; bench/README.md.)
DROP TRIGGER trg_responses_after_insert;
CREATE TRIGGER trg_responses_after_insert AFTER INSERT ON responses
BEGIN
  UPDATE campaigns SET responses_received = responses_received + 1 WHERE id = NEW.campaign_id;
END;

-- Pending responses stored before this migration had their rows derived already; they are
-- derived again when published, so those go.
DELETE FROM response_ratings WHERE response_id IN (SELECT id FROM responses WHERE published_step IS NULL);
DELETE FROM response_interests WHERE response_id IN (SELECT id FROM responses WHERE published_step IS NULL);
DELETE FROM response_strategies WHERE response_id IN (SELECT id FROM responses WHERE published_step IS NULL);
