-- Refusals anyone can cause without an account (a refused route, a throttled sign-in) are recorded
-- at most once per kind, address and minute (and a bounded number per minute in all): db/audit.ts
-- checks for an earlier row before it writes, through this index, on every such refusal.
CREATE INDEX audit_event_anonymous_refusal_idx ON audit_event (action, at, address)
	WHERE actor_id IS NULL AND action IN ('authz.denied', 'login.throttled');

-- The administrators' page filters by who and what, newest first (keyset paging on id).
CREATE INDEX audit_event_actor_email_idx ON audit_event (actor_email, id);
CREATE INDEX audit_event_action_idx ON audit_event (action, id);
