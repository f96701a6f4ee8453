-- Co-design boards. A board belongs to a campaign (its evidence); its members hold a
-- board role. `version` counts every change to anything on the board (what a live poll
-- compares); each editable thing also carries its own version, which a change must name.
CREATE TABLE boards (
  id TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL REFERENCES campaigns (id),
  title TEXT NOT NULL,
  template TEXT NOT NULL CHECK (template IN ('protocol', 'hexagon', 'plan')),
  anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
  locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  vote_budget INTEGER NOT NULL DEFAULT 5,
  votes_per_card INTEGER,
  votes_revealed INTEGER NOT NULL DEFAULT 0 CHECK (votes_revealed IN (0, 1)),
  phase INTEGER NOT NULL DEFAULT 0,
  timer_ends_at TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  settings_version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES accounts (id),
  updated_at TEXT NOT NULL
);

CREATE TABLE board_members (
  board_id TEXT NOT NULL REFERENCES boards (id),
  account_id TEXT NOT NULL REFERENCES accounts (id),
  role TEXT NOT NULL CHECK (role IN ('facilitator', 'member', 'viewer')),
  invited_at TEXT NOT NULL,
  joined_at TEXT,
  PRIMARY KEY (board_id, account_id)
);
CREATE INDEX board_members_by_account ON board_members (account_id);

-- A join link, kept only as a hash: single use, and it expires.
CREATE TABLE board_invitations (
  token_hash TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards (id),
  account_id TEXT NOT NULL REFERENCES accounts (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);

CREATE TABLE board_clusters (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards (id),
  name TEXT NOT NULL,
  created_by TEXT NOT NULL REFERENCES accounts (id),
  version INTEGER NOT NULL DEFAULT 1,
  deleted_at TEXT
);

CREATE TABLE board_cards (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards (id),
  column_id TEXT NOT NULL,
  -- Fractional, so a move rewrites only the moved card: a new place is the midpoint of its neighbours.
  position REAL NOT NULL,
  text TEXT NOT NULL,
  tags TEXT NOT NULL DEFAULT '[]',
  cluster_id TEXT REFERENCES board_clusters (id),
  status TEXT NOT NULL CHECK (status IN ('visible', 'pending', 'hidden')),
  author_id TEXT NOT NULL REFERENCES accounts (id),
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX board_cards_by_board ON board_cards (board_id, column_id, position);

CREATE TABLE board_comments (
  id TEXT PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards (id),
  card_id TEXT NOT NULL REFERENCES board_cards (id),
  author_id TEXT NOT NULL REFERENCES accounts (id),
  text TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deleted_at TEXT
);
CREATE INDEX board_comments_by_board ON board_comments (board_id);

-- One row per member and card that holds any of their dots.
CREATE TABLE board_votes (
  board_id TEXT NOT NULL REFERENCES boards (id),
  card_id TEXT NOT NULL REFERENCES board_cards (id),
  account_id TEXT NOT NULL REFERENCES accounts (id),
  dots INTEGER NOT NULL CHECK (dots > 0),
  PRIMARY KEY (card_id, account_id)
);
CREATE INDEX board_votes_by_board ON board_votes (board_id, account_id);

-- Hexagon Tool: a member's 1–5 rating of one program (card) on one indicator.
CREATE TABLE board_ratings (
  board_id TEXT NOT NULL REFERENCES boards (id),
  card_id TEXT NOT NULL REFERENCES board_cards (id),
  account_id TEXT NOT NULL REFERENCES accounts (id),
  indicator TEXT NOT NULL,
  score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  note TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (card_id, account_id, indicator)
);
CREATE INDEX board_ratings_by_board ON board_ratings (board_id);

-- A PL plan: one per focus of a plan board, its sections kept as one JSON document.
CREATE TABLE board_plans (
  board_id TEXT NOT NULL REFERENCES boards (id),
  competency_id TEXT NOT NULL,
  plan TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL REFERENCES accounts (id),
  PRIMARY KEY (board_id, competency_id)
);
