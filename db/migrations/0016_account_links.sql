-- Issue 13: accounts from the browser. An administrator invites a person (no password yet) and the
-- person sets one from a single-use link; the same kind of link resets a password (sent by an
-- administrator, or asked for by email). Links are stored like sessions: "<id>.<secret>", the id
-- to find the row and only the SHA-256 of the secret, so a leaked database holds no usable link.

-- A display name, shown instead of the email address in plans, referrals and the audit views.
ALTER TABLE app_user ADD COLUMN name text CHECK (name IS NULL OR (btrim(name) <> '' AND length(name) <= 120));
-- NULL until an invited person sets a password: such an account cannot sign in.
ALTER TABLE app_user ALTER COLUMN password_hash DROP NOT NULL;

CREATE TABLE account_link (
	id text PRIMARY KEY CHECK (length(id) BETWEEN 20 AND 64),
	secret_hash bytea NOT NULL CHECK (length(secret_hash) = 32),
	user_id uuid NOT NULL REFERENCES app_user ON DELETE CASCADE,
	purpose text NOT NULL CHECK (purpose IN ('invitation', 'reset')),
	created_by uuid REFERENCES app_user ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	-- Set when the link is used, or replaced by a newer one: it never works twice.
	used_at timestamptz,
	CHECK (expires_at > created_at)
);
CREATE INDEX account_link_user_idx ON account_link (user_id) WHERE used_at IS NULL;
