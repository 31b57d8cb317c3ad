-- Issue 13: email as a real component. Notifications are written to this outbox inside the
-- transaction of the change they announce, and sent by the app after it commits: a rolled-back
-- change sends nothing, and a mail server that is down loses nothing (the row waits, retried with
-- backoff). Delivery is at least once: a send that succeeds while the process dies before marking
-- it is sent again when its lease ends.
--
-- What a message may hold: a short sentence, a link and a plan's pseudonymous code — never a
-- household's name, address, phone or need (src/lib/server/mail/messages.ts builds every body).
-- A link may carry a single-use token (invitations, password resets), so bodies are erased as soon
-- as the message is sent; what stays (kind, recipient, times, attempts, last error) is what an
-- administrator sees at /admin/posta.

-- The language a staff member reads their email in.
ALTER TABLE app_user ADD COLUMN locale text NOT NULL DEFAULT 'it' CHECK (locale ~ '^[a-z]{2}$');

CREATE TABLE mail_outbox (
	id bigserial PRIMARY KEY,
	kind text NOT NULL CHECK (kind ~ '^[a-z_]+(\.[a-z_]+)+$'),
	recipient text NOT NULL CHECK (recipient = lower(btrim(recipient)) AND recipient ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' AND length(recipient) <= 254),
	locale text NOT NULL CHECK (locale ~ '^[a-z]{2}$'),
	subject text NOT NULL CHECK (btrim(subject) <> '' AND length(subject) <= 200),
	-- NULL once sent (see above).
	body_text text CHECK (length(body_text) <= 20000),
	body_html text CHECK (length(body_html) <= 40000),
	created_at timestamptz NOT NULL DEFAULT now(),
	-- When the next attempt may start; while an attempt runs, the end of its lease.
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
	last_error text CHECK (length(last_error) <= 500),
	sent_at timestamptz,
	CHECK (sent_at IS NOT NULL OR (body_text IS NOT NULL AND body_html IS NOT NULL))
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at, id) WHERE sent_at IS NULL;
CREATE INDEX mail_outbox_created_idx ON mail_outbox (created_at DESC, id DESC);
