-- Support plans, hardening (issue 10): one open referral per plan, need and resource; and what the
-- lead worker shares with partner organisations.

-- ---------------------------------------------------------------------------------------------
-- One open referral per plan, need and resource. "Open" is every status that is not final: sent,
-- accepted, in_progress (declined, completed and closed_no_outcome are final, and a new referral
-- may follow them). The plan service checks first and answers 409; this index is the backstop
-- for two requests racing past that check.
--
-- Duplicates sent before this rule: the furthest along (then the oldest) stays open, the others
-- are closed without outcome, each with a step in its history saying why. The step is attributed
-- to whoever sent the duplicate, the only person the row names.
WITH ranked AS (
	SELECT id, status, created_by, row_number() OVER (
		PARTITION BY plan_id, need, service_at_location_id
		ORDER BY CASE status WHEN 'in_progress' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END, created_at, id) AS n
	FROM referral WHERE status IN ('sent', 'accepted', 'in_progress')
), closed AS (
	UPDATE referral r SET status = 'closed_no_outcome', updated_at = now()
	FROM ranked WHERE ranked.id = r.id AND ranked.n > 1
	RETURNING r.id, ranked.status AS from_status, ranked.created_by
)
INSERT INTO referral_event (referral_id, actor_id, from_status, to_status, note)
SELECT id, created_by, from_status, 'closed_no_outcome',
	'Closed as a duplicate of an open referral for the same need and resource (migration 0007).'
FROM closed;

CREATE UNIQUE INDEX referral_open_idx ON referral (plan_id, need, service_at_location_id)
	WHERE status IN ('sent', 'accepted', 'in_progress');

-- ---------------------------------------------------------------------------------------------
-- Minimisation: what staff of a partner organisation see of a plan is decided by the plan
-- service (src/lib/server/plans/plans.ts, partnerView); these are the lead worker's choices.
-- share_profile: the family's strengths, needs and goals (on by default: partners work with them).
-- share_notes: the household's notes, the plan's notes and meetings (off by default).
ALTER TABLE support_plan
	ADD COLUMN share_profile boolean NOT NULL DEFAULT true,
	ADD COLUMN share_notes boolean NOT NULL DEFAULT false;
