-- An idempotency key names one submission, wherever it was sent. A key already stored in
-- another campaign is refused (409 IDEMPOTENCY_KEY_REUSED) rather than stored again, so the
-- insert looks the key up on its own; (campaign_id, idempotency_key) cannot answer that.
-- Not unique: keys repeated across campaigns before this migration stay as they are.
CREATE INDEX idx_responses_idempotency_key ON responses (idempotency_key);
