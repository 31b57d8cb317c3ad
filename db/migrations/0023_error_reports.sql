-- "Segnala un errore" (issue 14): anyone may tell that a public resource's record is wrong, without
-- an account (src/lib/server/reports). The partner organisation's editors see the open reports of
-- their records on their partner page, the administrators all of them on /admin/segnalazioni-errori.
--
-- The least is stored: what is wrong (a kind and a short note), and an email only when the person
-- chose to leave one for a reply, erased when the report is closed. No client address: the rate
-- limit per address lives in the app's memory (server/reports/throttle.ts).
CREATE TABLE error_report (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	-- The pin the person was looking at, its service and its organisation (whose editors answer).
	service_at_location_id uuid NOT NULL REFERENCES service_at_location ON DELETE CASCADE,
	service_id uuid NOT NULL REFERENCES service ON DELETE CASCADE,
	organization_id uuid NOT NULL REFERENCES organization ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('closed', 'hours', 'contacts', 'other')),
	note text CHECK (length(note) <= 1000),
	reply_email text CHECK (length(reply_email) <= 254),
	-- Stamped with the app's clock (as login attempts are), so tests may run at any date.
	created_at timestamptz NOT NULL,
	status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'dismissed')),
	resolved_by uuid REFERENCES app_user ON DELETE SET NULL,
	resolved_at timestamptz,
	CHECK ((status = 'open') = (resolved_at IS NULL)),
	CHECK (status = 'open' OR reply_email IS NULL)
);
CREATE INDEX error_report_open_idx ON error_report (organization_id, created_at) WHERE status = 'open';

-- The organisation's editors are told by email that a report waits (a link only, never its text),
-- a notice they can turn off like the others (src/lib/server/mail/notices.ts).
ALTER TABLE app_user DROP CONSTRAINT app_user_muted_notices_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_muted_notices_check
	CHECK (muted_notices <@ ARRAY['referral.new', 'referral.answered', 'referral.stale', 'referral.message', 'pact.decision', 'pact.application', 'report.new']::text[]);
