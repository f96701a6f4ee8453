-- A pilot group may have several coaches, each supporting some of its members (a coach
-- supports at most the pilot's coach capacity over all groups, so a group larger than it
-- needs two). One row per coach of a group, with how many members they support; the
-- single coach_id column goes. A group confirmed before had one coach for all its members.
CREATE TABLE pilot_group_coaches (
  campaign_id TEXT NOT NULL,
  competency_id TEXT NOT NULL,
  staff_id TEXT NOT NULL REFERENCES staff (staff_id),
  supports INTEGER NOT NULL CHECK (supports >= 1),
  PRIMARY KEY (campaign_id, competency_id, staff_id),
  FOREIGN KEY (campaign_id, competency_id) REFERENCES pilot_groups (campaign_id, competency_id)
);

INSERT INTO pilot_group_coaches (campaign_id, competency_id, staff_id, supports)
SELECT g.campaign_id, g.competency_id, g.coach_id, COUNT(*)
FROM pilot_groups g
JOIN pilot_group_members m ON m.campaign_id = g.campaign_id AND m.competency_id = g.competency_id
WHERE g.coach_id IS NOT NULL
GROUP BY g.campaign_id, g.competency_id;

ALTER TABLE pilot_groups DROP COLUMN coach_id;
