-- Issue 13: who is told of what by email (src/lib/server/mail/notices.ts). Each person can turn each
-- kind of notice off on their account page: the kinds they turned off are listed here.
ALTER TABLE app_user ADD COLUMN muted_notices text[] NOT NULL DEFAULT '{}'
	CHECK (muted_notices <@ ARRAY['referral.new', 'referral.answered', 'referral.stale', 'pact.decision', 'pact.application']::text[]);

-- A referral still unanswered after ATLANTE_REFERRAL_STALE_DAYS is told to its lead worker once.
ALTER TABLE referral ADD COLUMN stale_notified_at timestamptz;
CREATE INDEX referral_waiting_idx ON referral (created_at) WHERE status = 'sent' AND stale_notified_at IS NULL;
