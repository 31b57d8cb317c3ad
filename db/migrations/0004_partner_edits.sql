-- Partner self-service: temporary closures of a service, and the history of every change a
-- partner (or an administrator) makes to the directory, which an administrator can revert.

-- ---------------------------------------------------------------------------------------------
-- Temporary closure (holidays, works, illness): the service stays on the map, but is not open
-- from closed_from to closed_until (both included, calendar days in Europe/Rome); no closed_until
-- means "until further notice". Its opening hours are kept for when it reopens.
ALTER TABLE service
	ADD COLUMN closed_from date,
	ADD COLUMN closed_until date,
	ADD COLUMN closure_note text CHECK (length(closure_note) <= 500),
	ADD CONSTRAINT service_closure_check CHECK (
		(closed_from IS NOT NULL OR (closed_until IS NULL AND closure_note IS NULL))
		AND (closed_until IS NULL OR closed_until >= closed_from));

-- Whether a closure from p_from to p_until (days in Rome, both included) covers the instant p_at.
-- The one definition of "temporarily closed": resources.ts and match_resources both call it.
CREATE FUNCTION service_closed_at(p_from date, p_until date, p_at timestamptz) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT p_from IS NOT NULL
		AND (p_at AT TIME ZONE 'Europe/Rome')::date >= p_from
		AND (p_until IS NULL OR (p_at AT TIME ZONE 'Europe/Rome')::date <= p_until)
$$;

-- The public view gains the closure (columns added at the end, as CREATE OR REPLACE VIEW requires).
CREATE OR REPLACE VIEW public_resource AS
SELECT
	sal.id,
	s.id AS service_id,
	o.id AS organization_id,
	s.name,
	s.category,
	s.description,
	s.accepting_new,
	o.name AS organization_name,
	l.public_geom AS geom,
	l.confidential AS approximate,
	n.name AS neighbourhood,
	CASE WHEN l.confidential THEN NULL
		ELSE concat_ws(', ', l.address_1, concat_ws(' ', l.postal_code, l.city)) END AS address,
	o.demo,
	sch.opening_hours_id,
	o.source_id,
	s.verified_at,
	fold_text(concat_ws(' ', s.name, o.name, s.description, n.name)) AS search_text,
	s.closed_from,
	s.closed_until,
	s.closure_note
FROM service_at_location sal
JOIN service s ON s.id = sal.service_id AND s.status = 'active'
JOIN organization o ON o.id = s.organization_id
JOIN location l ON l.id = sal.location_id AND l.public_geom IS NOT NULL
LEFT JOIN neighbourhood n ON n.id = l.neighbourhood_id
LEFT JOIN schedule sch ON sch.service_at_location_id = sal.id;

-- ---------------------------------------------------------------------------------------------
-- Every change to an organisation, a location or a service made through the partner pages, with
-- who made it, when, and the changed fields before and after (only those: a revert restores them
-- and leaves other fields alone). Append-only like audit_event: a revert is a new row naming the
-- change it undoes, never an update of the old one. organization_id is not a foreign key, so the
-- history outlives a removed organisation (as the audit trail does).
CREATE TABLE record_change (
	id bigserial PRIMARY KEY,
	at timestamptz NOT NULL DEFAULT now(),
	actor_id uuid,
	actor_email text,
	organization_id uuid NOT NULL,
	entity text NOT NULL CHECK (entity IN ('organization', 'location', 'service')),
	entity_id uuid NOT NULL,
	-- update: an edit; verify: "still correct" (verified_at only); revert: undoes `reverts`.
	action text NOT NULL CHECK (action IN ('update', 'verify', 'revert')),
	before jsonb NOT NULL,
	after jsonb NOT NULL,
	-- Each change is reverted at most once; a revert can itself be reverted (it is a change).
	reverts bigint UNIQUE REFERENCES record_change,
	CHECK ((action = 'revert') = (reverts IS NOT NULL)),
	CHECK (jsonb_typeof(before) = 'object' AND jsonb_typeof(after) = 'object')
);
CREATE INDEX record_change_organization_idx ON record_change (organization_id, id);
CREATE INDEX record_change_entity_idx ON record_change (entity, entity_id, id);

CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP;
END $$;
CREATE TRIGGER record_change_no_update BEFORE UPDATE OR DELETE ON record_change
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER record_change_no_truncate BEFORE TRUNCATE ON record_change
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();
