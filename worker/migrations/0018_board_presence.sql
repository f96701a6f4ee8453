-- Who is on a board now: each open board page says "here" every few seconds (PUT
-- /api/boards/:id/presence) and "gone" when it closes (DELETE); a member counts as here
-- while their last word is younger than PRESENCE_SECONDS (domain/boards.ts). Kept on the
-- membership, so whoever is taken off the board is gone from it at once. NULL: not here.
ALTER TABLE board_members ADD COLUMN seen_at TEXT;
