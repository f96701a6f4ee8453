-- The pilot groups a director confirmed for a campaign, after any swaps: one group per
-- focus, and a person in at most one group of a campaign (the primary key of the members
-- says so to the database itself). Confirming again replaces the campaign's groups.
CREATE TABLE pilot_groups (
  campaign_id TEXT NOT NULL REFERENCES campaigns (id),
  competency_id TEXT NOT NULL,
  champion_id TEXT REFERENCES staff (staff_id),
  coach_id TEXT REFERENCES staff (staff_id),
  confirmed_at TEXT NOT NULL,
  -- The email of the account that confirmed them, as the audit log names people.
  confirmed_by TEXT NOT NULL,
  PRIMARY KEY (campaign_id, competency_id)
);

CREATE TABLE pilot_group_members (
  campaign_id TEXT NOT NULL,
  competency_id TEXT NOT NULL,
  staff_id TEXT NOT NULL REFERENCES staff (staff_id),
  PRIMARY KEY (campaign_id, staff_id),
  FOREIGN KEY (campaign_id, competency_id) REFERENCES pilot_groups (campaign_id, competency_id)
);
