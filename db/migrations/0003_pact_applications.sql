-- Applications to join the pact: what an organisation asks to publish and to commit to, and the
-- administrator's review of it. The application is kept as the validated payload (jsonb) until it
-- is approved; approval writes the organisation into the directory (source `partner`) and signs
-- its pact_membership in the same transaction, and links the application to it.

CREATE TABLE pact_application (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	-- The account that applied (role partner). Kept even when the organisation goes: it is history.
	applicant_id uuid NOT NULL REFERENCES app_user,
	status text NOT NULL DEFAULT 'submitted'
		CHECK (status IN ('submitted', 'changes_requested', 'approved', 'rejected')),
	-- The application as validated by src/lib/server/pact/applications.ts (organisation, contact,
	-- locations, services, commitments, free commitment). Replaced on each resubmission; every
	-- submitted version is also kept in pact_application_event.
	payload jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object' AND octet_length(payload::text) <= 200000),
	-- Bumped by every change of payload or status: a review names the revision its reviewer read,
	-- so nobody approves a version they have not seen.
	revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
	-- The reviewer's message: what to change (changes_requested) or why not (rejected).
	review_note text CHECK (length(review_note) <= 2000),
	reviewer_id uuid REFERENCES app_user,
	reviewed_at timestamptz,
	signed_at date,
	signed_by text CHECK (length(signed_by) <= 200),
	-- The organisation approval created. SET NULL if an administrator later removes it: the
	-- application's history stays.
	organization_id uuid REFERENCES organization ON DELETE SET NULL,
	submitted_at timestamptz NOT NULL DEFAULT now(),
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK (status NOT IN ('changes_requested', 'rejected') OR btrim(review_note) <> ''),
	CHECK (status <> 'approved' OR (signed_at IS NOT NULL AND btrim(signed_by) <> '' AND reviewer_id IS NOT NULL))
);
CREATE INDEX pact_application_status_idx ON pact_application (status, submitted_at);
CREATE INDEX pact_application_applicant_idx ON pact_application (applicant_id, created_at);
-- One open application per applicant: a second one would compete with the first in review.
CREATE UNIQUE INDEX pact_application_one_open_idx ON pact_application (applicant_id)
	WHERE status IN ('submitted', 'changes_requested');

-- Every transition, in order: shown to the applicant as the application's history. Submissions
-- keep the payload they sent, so a resubmission never loses the version the reviewer commented on.
CREATE TABLE pact_application_event (
	id bigserial PRIMARY KEY,
	application_id uuid NOT NULL REFERENCES pact_application ON DELETE CASCADE,
	at timestamptz NOT NULL DEFAULT now(),
	actor_id uuid REFERENCES app_user,
	from_status text CHECK (from_status IN ('submitted', 'changes_requested', 'approved', 'rejected')),
	to_status text NOT NULL CHECK (to_status IN ('submitted', 'changes_requested', 'approved', 'rejected')),
	note text CHECK (length(note) <= 2000),
	payload jsonb CHECK (payload IS NULL OR jsonb_typeof(payload) = 'object')
);
CREATE INDEX pact_application_event_application_idx ON pact_application_event (application_id, id);
