-- Accounts, sessions, organisation memberships, login throttling and the audit trail.
-- Sessions follow the Lucia guide: the cookie holds "<id>.<secret>"; only the secret's SHA-256 is
-- stored, compared in constant time by the app.

CREATE TABLE app_user (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	-- Stored lower-case: one account per address however it is typed.
	email text NOT NULL UNIQUE CHECK (email = lower(btrim(email)) AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(email) <= 254),
	role text NOT NULL CHECK (role IN ('admin', 'worker', 'planner', 'partner')),
	-- argon2id, PHC string format.
	password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
	disabled_at timestamptz,
	password_changed_at timestamptz NOT NULL DEFAULT now(),
	created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_session (
	id text PRIMARY KEY CHECK (length(id) BETWEEN 20 AND 64),
	secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
	user_id uuid NOT NULL REFERENCES app_user ON DELETE CASCADE,
	created_at timestamptz NOT NULL DEFAULT now(),
	-- Sliding idle expiry, never past the absolute one.
	expires_at timestamptz NOT NULL,
	absolute_expires_at timestamptz NOT NULL,
	CHECK (expires_at <= absolute_expires_at)
);
CREATE INDEX user_session_user_idx ON user_session (user_id);
CREATE INDEX user_session_expiry_idx ON user_session (absolute_expires_at);

-- A partner's staff: which organisations a user works for, and as what.
CREATE TABLE organization_member (
	user_id uuid NOT NULL REFERENCES app_user ON DELETE CASCADE,
	organization_id uuid NOT NULL REFERENCES organization ON DELETE CASCADE,
	role text NOT NULL CHECK (role IN ('editor', 'viewer')),
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, organization_id)
);
CREATE INDEX organization_member_organization_idx ON organization_member (organization_id);

-- Every login attempt, for throttling per account and per address. Shared by every app instance
-- because it lives here; old rows are pruned by the app.
CREATE TABLE login_attempt (
	id bigserial PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	email text NOT NULL CHECK (length(email) <= 254),
	address text NOT NULL CHECK (length(address) <= 64),
	success boolean NOT NULL
);
CREATE INDEX login_attempt_email_idx ON login_attempt (email, at);
CREATE INDEX login_attempt_address_idx ON login_attempt (address, at);

-- Append-only audit trail: authentication events, refused authorisations, and (later) every read
-- and write of household data. No update or delete is possible, not even by the app.
CREATE TABLE audit_event (
	id bigserial PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	-- Kept as text, not a foreign key: the trail outlives the accounts it mentions.
	actor_id uuid,
	actor_email text,
	action text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
	subject_type text,
	subject_id text,
	address text,
	detail jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_event_at_idx ON audit_event (at);
CREATE INDEX audit_event_subject_idx ON audit_event (subject_type, subject_id, at);
CREATE INDEX audit_event_actor_idx ON audit_event (actor_id, at);

CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP;
END $$;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
	FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
	FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
