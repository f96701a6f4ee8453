-- Schools and staff come from the district roster. Staff ids are the district's own
-- (its HR or SIS id), so they are the primary key and re-imports update in place.
CREATE TABLE schools (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE staff (
  staff_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT,
  school_id TEXT REFERENCES schools (id),
  role TEXT NOT NULL,
  career_stage TEXT,
  subject TEXT,
  grade_band TEXT,
  is_coach INTEGER NOT NULL DEFAULT 0 CHECK (is_coach IN (0, 1)),
  -- JSON array of competency ids this coach can support.
  coach_focuses TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX idx_staff_school_id ON staff (school_id);

-- A campaign is one round of a survey sent to staff. min_group_size is the k of the
-- confidentiality rule: never below 3, so that no campaign can be set up to expose people.
CREATE TABLE campaigns (
  id TEXT PRIMARY KEY,
  survey_id TEXT NOT NULL,
  title TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('anonymous', 'identified')),
  min_group_size INTEGER NOT NULL DEFAULT 5 CHECK (min_group_size >= 3),
  closes_at TEXT,
  closed_at TEXT,
  created_at TEXT NOT NULL
);

-- One row per submitted survey. The unique (campaign_id, idempotency_key) pair is what
-- makes a retried submission land exactly once; body_hash tells a true retry from a
-- different answer sent under a reused key. The segment columns are copied from the
-- answers so that aggregates never have to parse JSON.
CREATE TABLE responses (
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaigns (id),
  idempotency_key TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  -- Set only in identified campaigns; anonymous responses carry no identity.
  staff_id TEXT REFERENCES staff (staff_id),
  school TEXT,
  role TEXT,
  career_stage TEXT,
  subject TEXT,
  grade_band TEXT,
  answers TEXT NOT NULL,
  submitted_at TEXT NOT NULL,
  UNIQUE (campaign_id, idempotency_key)
);

-- One row per competency a respondent rated on both scales. The dashboard reads running
-- aggregates kept beside these rows; these serve per-respondent work and recounts, so
-- they stay lean: no copied segments and no index beyond the key, since every column
-- and index is paid on each submission.
CREATE TABLE response_ratings (
  response_id TEXT NOT NULL REFERENCES responses (id),
  campaign_id TEXT NOT NULL,
  competency_id TEXT NOT NULL,
  importance INTEGER NOT NULL CHECK (importance BETWEEN 1 AND 5),
  proficiency INTEGER NOT NULL CHECK (proficiency BETWEEN 1 AND 5),
  PRIMARY KEY (response_id, competency_id)
);

-- "I want to learn about this this year", one row per ticked competency.
CREATE TABLE response_interests (
  response_id TEXT NOT NULL REFERENCES responses (id),
  campaign_id TEXT NOT NULL,
  competency_id TEXT NOT NULL,
  PRIMARY KEY (response_id, competency_id)
);

-- Preferred ways of learning, position 1 = most preferred.
CREATE TABLE response_strategies (
  response_id TEXT NOT NULL REFERENCES responses (id),
  campaign_id TEXT NOT NULL,
  strategy_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (response_id, strategy_id)
);
