-- Staff who have left: a roster import can retire everyone its file does not list (after
-- a preview that names them). A retired person is kept, with every answer they gave, but
-- is offered nowhere any more: not as a colleague to name, not for a personal link (their
-- unused ones stop working), not as a pilot member or coach, and not in the response-rate
-- denominators of campaigns begun after they left. Listed in a later roster file, they are
-- staff again. NULL: on the roster.
ALTER TABLE staff ADD COLUMN retired_at TEXT;
