-- Demand against supply (issue 11): why a referral was declined, as a code the planners' figures
-- can count ("no capacity" is unmet demand), next to the free-text reason the family's worker reads;
-- and when a plan first came into force, so "plans active in the last 12 months" leaves out plans
-- that were closed without ever being active.

-- ---------------------------------------------------------------------------------------------
-- The codes are DECLINE_CODES in src/lib/domain/referral-rules.ts. Required for every decline from
-- now on: the constraint is NOT VALID, so referrals declined before it (free text only) keep a null
-- code and count in no figure; PostgreSQL still checks it on every insert and update.
ALTER TABLE referral
	ADD COLUMN decline_code text CHECK (decline_code IN ('no_capacity', 'not_eligible', 'family_declined', 'other'));
ALTER TABLE referral
	ADD CONSTRAINT referral_decline_code_required CHECK (status <> 'declined' OR decline_code IS NOT NULL) NOT VALID;
ALTER TABLE referral
	ADD CONSTRAINT referral_decline_code_only_declined CHECK (decline_code IS NULL OR status = 'declined');
CREATE INDEX referral_no_capacity_idx ON referral (need) WHERE decline_code = 'no_capacity';

-- ---------------------------------------------------------------------------------------------
-- The first time the plan became active or under review (set by the plan service, never cleared).
-- Plans in force or closed before this migration get their creation time: their history was not
-- kept, and a closed plan is taken to have been in force (a draft is not).
ALTER TABLE support_plan ADD COLUMN activated_at timestamptz;
UPDATE support_plan SET activated_at = created_at WHERE status IN ('active', 'under_review', 'closed');
