-- The shared support plan (progetto di sostegno condiviso): households, consent, plans with the
-- family's strengths at the centre, members, referrals. Special-category personal data: the
-- household's identifiers are stored only encrypted (AES-256-GCM, key from configuration, by the
-- app), its place only as a rione or a point rounded to ~100 m; access is checked by the app for
-- every read and write and recorded in audit_event.
-- Organisations can leave the directory (the demo set is removed with ATLANTE_DEMO=0): their part in
-- plans (consent scope, membership, overrides, referrals) goes with them, actions lose their
-- assignee; the audit trail keeps what happened.

CREATE TABLE household (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	-- Pseudonymous code used everywhere a household must be named outside the plan.
	code text NOT NULL UNIQUE CHECK (code ~ '^F-[0-9A-Z]{6}$'),
	-- {name, phone, address, notes} as JSON, encrypted by the app: "<key id>:<iv>:<tag>:<ciphertext>".
	identity_ciphertext text CHECK (identity_ciphertext ~ '^[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]*$'),
	key_id text,
	neighbourhood_id integer REFERENCES neighbourhood,
	-- Never more precise than ~100 m (3 decimals); the app rounds before writing.
	rounded_point geometry(Point, 4326) CHECK (
		rounded_point IS NULL OR (round(ST_X(rounded_point)::numeric, 3) = ST_X(rounded_point)::numeric
			AND round(ST_Y(rounded_point)::numeric, 3) = ST_Y(rounded_point)::numeric)),
	created_by uuid NOT NULL REFERENCES app_user,
	created_at timestamptz NOT NULL DEFAULT now(),
	-- Erasure (GDPR art. 17): identity gone, the pseudonymous shell kept for the audit trail.
	erased_at timestamptz,
	CHECK (erased_at IS NULL OR identity_ciphertext IS NULL)
);

CREATE TABLE support_plan (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	household_id uuid NOT NULL REFERENCES household,
	lead_user_id uuid NOT NULL REFERENCES app_user,
	status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'under_review', 'closed')),
	outcome text CHECK (length(outcome) <= 2000),
	CHECK (status <> 'closed' OR outcome IS NOT NULL),
	-- Optimistic concurrency: every change names the version it started from.
	version integer NOT NULL DEFAULT 1,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	closed_at timestamptz,
	-- Soft delete; see the README for retention.
	deleted_at timestamptz
);
CREATE INDEX support_plan_household_idx ON support_plan (household_id);
CREATE INDEX support_plan_lead_idx ON support_plan (lead_user_id);

-- The family's own strengths and resources: the centre of the plan.
CREATE TABLE plan_strength (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	plan_id uuid NOT NULL REFERENCES support_plan ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('skill', 'relationship', 'time', 'offer', 'other')),
	text text NOT NULL CHECK (btrim(text) <> '' AND length(text) <= 500),
	position integer NOT NULL
);
CREATE INDEX plan_strength_plan_idx ON plan_strength (plan_id, position);

CREATE TABLE plan_need (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	plan_id uuid NOT NULL REFERENCES support_plan ON DELETE CASCADE,
	need text NOT NULL REFERENCES need,
	words text NOT NULL DEFAULT '' CHECK (length(words) <= 500),
	position integer NOT NULL,
	UNIQUE (plan_id, need)
);

CREATE TABLE plan_goal (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	plan_id uuid NOT NULL REFERENCES support_plan ON DELETE CASCADE,
	text text NOT NULL CHECK (btrim(text) <> '' AND length(text) <= 500),
	due_on date,
	done boolean NOT NULL DEFAULT false,
	position integer NOT NULL
);

CREATE TABLE plan_action (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	plan_id uuid NOT NULL REFERENCES support_plan ON DELETE CASCADE,
	goal_id uuid REFERENCES plan_goal ON DELETE SET NULL,
	text text NOT NULL CHECK (btrim(text) <> '' AND length(text) <= 500),
	-- Assigned to a partner organisation, or to the family itself.
	organization_id uuid REFERENCES organization ON DELETE SET NULL,
	by_family boolean NOT NULL DEFAULT false,
	CHECK (NOT (by_family AND organization_id IS NOT NULL)),
	due_on date,
	done boolean NOT NULL DEFAULT false,
	position integer NOT NULL
);

CREATE TABLE plan_meeting (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	plan_id uuid NOT NULL REFERENCES support_plan ON DELETE CASCADE,
	held_on date NOT NULL,
	summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 4000)
);

CREATE TABLE plan_note (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	plan_id uuid NOT NULL REFERENCES support_plan ON DELETE CASCADE,
	author_id uuid NOT NULL REFERENCES app_user,
	text text NOT NULL CHECK (btrim(text) <> '' AND length(text) <= 4000),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX plan_note_plan_idx ON plan_note (plan_id, created_at);

-- Consent: who collected it, when, for which organisations, and the paper behind it.
CREATE TABLE plan_consent (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	plan_id uuid NOT NULL REFERENCES support_plan ON DELETE CASCADE,
	given_on date NOT NULL,
	collected_by uuid NOT NULL REFERENCES app_user,
	document_ref text NOT NULL CHECK (btrim(document_ref) <> '' AND length(document_ref) <= 200),
	recorded_at timestamptz NOT NULL DEFAULT now(),
	withdrawn_at timestamptz,
	withdrawn_by uuid REFERENCES app_user
);
-- At most one consent in force per plan.
CREATE UNIQUE INDEX plan_consent_current_idx ON plan_consent (plan_id) WHERE withdrawn_at IS NULL;

CREATE TABLE plan_consent_scope (
	consent_id uuid NOT NULL REFERENCES plan_consent ON DELETE CASCADE,
	organization_id uuid NOT NULL REFERENCES organization ON DELETE CASCADE,
	PRIMARY KEY (consent_id, organization_id)
);

-- Partner organisations taking part. Their staff see the plan only while a consent in force
-- names the organisation (or an override, recorded with its reason, says otherwise).
CREATE TABLE plan_member (
	plan_id uuid NOT NULL REFERENCES support_plan ON DELETE CASCADE,
	organization_id uuid NOT NULL REFERENCES organization ON DELETE CASCADE,
	added_by uuid NOT NULL REFERENCES app_user,
	added_at timestamptz NOT NULL DEFAULT now(),
	removed_at timestamptz,
	PRIMARY KEY (plan_id, organization_id)
);
CREATE INDEX plan_member_organization_idx ON plan_member (organization_id);

-- Sharing without (or beyond) consent, for a stated reason (e.g. a child at risk): kept forever.
CREATE TABLE plan_override (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	plan_id uuid NOT NULL REFERENCES support_plan ON DELETE CASCADE,
	organization_id uuid NOT NULL REFERENCES organization ON DELETE CASCADE,
	reason text NOT NULL CHECK (length(btrim(reason)) >= 10 AND length(reason) <= 1000),
	by_user uuid NOT NULL REFERENCES app_user,
	at timestamptz NOT NULL DEFAULT now(),
	ended_at timestamptz
);

CREATE TABLE referral (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	plan_id uuid NOT NULL REFERENCES support_plan ON DELETE CASCADE,
	need text NOT NULL REFERENCES need,
	-- The public resource (a pin) and its organisation, which receives the referral.
	service_at_location_id uuid NOT NULL REFERENCES service_at_location ON DELETE CASCADE,
	organization_id uuid NOT NULL REFERENCES organization ON DELETE CASCADE,
	status text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted', 'declined', 'in_progress', 'completed', 'closed_no_outcome')),
	reason text CHECK (length(reason) <= 1000),
	CHECK (status <> 'declined' OR reason IS NOT NULL),
	created_by uuid NOT NULL REFERENCES app_user,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_plan_idx ON referral (plan_id);
CREATE INDEX referral_organization_idx ON referral (organization_id, status);

CREATE TABLE referral_event (
	id bigserial PRIMARY KEY,
	referral_id uuid NOT NULL REFERENCES referral ON DELETE CASCADE,
	at timestamptz NOT NULL DEFAULT now(),
	actor_id uuid NOT NULL REFERENCES app_user,
	from_status text,
	to_status text NOT NULL,
	note text CHECK (length(note) <= 1000)
);
CREATE INDEX referral_event_referral_idx ON referral_event (referral_id, at);
