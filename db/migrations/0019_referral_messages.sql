-- Issue 13: referrals that talk. A short thread on each referral between the plan's lead worker
-- and the receiving organisation's staff; seen only by them (the plan's access rules), every
-- message audited as a plan event (without its words). Messages are never edited or deleted; they
-- go with the referral (and the plan) when it is erased.
CREATE TABLE referral_message (
	id bigserial PRIMARY KEY,
	referral_id uuid NOT NULL REFERENCES referral ON DELETE CASCADE,
	author_id uuid NOT NULL REFERENCES app_user,
	-- Which side wrote: the lead worker, or the receiving organisation.
	side text NOT NULL CHECK (side IN ('lead', 'organization')),
	text text NOT NULL CHECK (btrim(text) <> '' AND length(text) <= 1000),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_message_referral_idx ON referral_message (referral_id, created_at, id);

-- A new message is a notice of its own: the other side is told, unless they turned it off.
ALTER TABLE app_user DROP CONSTRAINT app_user_muted_notices_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_muted_notices_check
	CHECK (muted_notices <@ ARRAY['referral.new', 'referral.answered', 'referral.stale', 'referral.message', 'pact.decision', 'pact.application']::text[]);
