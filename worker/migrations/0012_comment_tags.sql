-- Directors read staff comments only as the comments of groups of at least k
-- (worker/src/domain/comments.ts). A comment is named by an HMAC of its response's id
-- under its campaign's secret, so the id a page sees cannot be joined to the response,
-- its time or its order; the secret never leaves the worker. Made on the first read of
-- the campaign's comments.
CREATE TABLE comment_keys (
  campaign_id TEXT PRIMARY KEY REFERENCES campaigns (id),
  secret TEXT NOT NULL
);

-- A director's tags: a comment (by its opaque id) belongs to one or more focuses of the
-- competency framework.
CREATE TABLE comment_tags (
  campaign_id TEXT NOT NULL REFERENCES campaigns (id),
  comment_id TEXT NOT NULL,
  competency_id TEXT NOT NULL,
  PRIMARY KEY (campaign_id, comment_id, competency_id)
);
