-- People who sign in: district admins, directors and board facilitators. Respondents
-- never need an account. There are no passwords anywhere: a person signs in through a
-- single-use emailed link or the district's single sign-on.
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  -- Stored lower-cased, so one address is one account however it is typed.
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  disabled_at TEXT,
  created_at TEXT NOT NULL
);

-- A person may hold several roles. Board membership (member, viewer) belongs to a board,
-- not to the account, so only the district-wide roles live here.
CREATE TABLE account_roles (
  account_id TEXT NOT NULL REFERENCES accounts (id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'director', 'facilitator')),
  PRIMARY KEY (account_id, role)
);

-- Emailed sign-in links. Only a SHA-256 of the token is kept: a copy of the database
-- cannot be used to sign in. A link works once, for 15 minutes.
CREATE TABLE sign_in_links (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX idx_sign_in_links_account_id ON sign_in_links (account_id);

-- Signed-in browsers, by the hash of the cookie's token. Signing out deletes the row, so
-- a copied cookie stops working at once; disabling an account deletes all of its rows.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX idx_sessions_account_id ON sessions (account_id);

-- Personal survey links of identified campaigns: one per staff member and campaign, kept
-- as a hash. Issuing links again replaces the unused ones (the old link stops working);
-- a used one stays used, pointing at the response it brought.
CREATE TABLE invitations (
  token_hash TEXT NOT NULL UNIQUE,
  campaign_id TEXT NOT NULL REFERENCES campaigns (id),
  staff_id TEXT NOT NULL REFERENCES staff (staff_id),
  created_at TEXT NOT NULL,
  used_at TEXT,
  response_id TEXT REFERENCES responses (id),
  PRIMARY KEY (campaign_id, staff_id)
);

-- A staff member answers an identified campaign once, whatever the client does: the
-- database itself refuses a second row. Anonymous rows (staff_id NULL) are not indexed.
CREATE UNIQUE INDEX idx_responses_campaign_staff ON responses (campaign_id, staff_id) WHERE staff_id IS NOT NULL;

-- The response written under a personal link uses the link up, in the same statement.
CREATE TRIGGER use_invitation AFTER INSERT ON responses
WHEN NEW.staff_id IS NOT NULL
BEGIN
  UPDATE invitations SET used_at = NEW.submitted_at, response_id = NEW.id
  WHERE campaign_id = NEW.campaign_id AND staff_id = NEW.staff_id AND used_at IS NULL;
END;

-- What an admin reviews: sign-ins, role changes, roster imports, campaign changes,
-- exports and views of identified data. Append-only; never holds a token or an answer.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  -- The account that acted; NULL for the command line and the system.
  actor_id TEXT,
  -- Who acted, as a person reads it (an email address, or "command line").
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  detail TEXT NOT NULL DEFAULT '{}'
);

-- The local outbox of `wrangler dev`: the mail a deployed build would have sent. Only the
-- development mailer writes here; a deployed build has no mailer that does.
CREATE TABLE dev_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL
);
