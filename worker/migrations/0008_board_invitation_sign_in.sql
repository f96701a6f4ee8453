-- A join link signs its holder in only when the invitation itself created the account
-- (a new colleague with no district role, whose only way in is the link mailed to them).
-- Every other join link is accepted by the invited account once it has signed in the
-- usual way, so a link can never hand anyone a session for an account that existed
-- before it. Links stored before this column existed sign nobody in.
ALTER TABLE board_invitations ADD COLUMN signs_in INTEGER NOT NULL DEFAULT 0;
