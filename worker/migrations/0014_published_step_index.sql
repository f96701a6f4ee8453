-- A publication step adds its batch to the published aggregates by `published_step = ?`
-- (worker/src/db/aggregates.ts): without this index each of its statements walked every
-- response of the campaign to find the step's few (about 75 ms each at 100,000 responses
-- in SQLite, 1 ms with it), so the first read after a step grew with the campaign.
CREATE INDEX idx_responses_published_step ON responses (campaign_id, published_step);
-- It finds the pending responses (published_step IS NULL) as well, so the partial index
-- of 0007 goes: a submission still updates the same number of indexes.
DROP INDEX idx_responses_pending;
