-- The HSDS 3.1 API and exports (issue 15; src/lib/server/hsds, SQL in src/lib/server/db/hsds.ts).
--
-- The public view gains, at its end (as CREATE OR REPLACE VIEW requires), the pin's location and
-- when the pin last changed (its service, organisation or place, whichever changed last): HSDS
-- `modified_after` and `last_modified`, and the location objects, read the view like every other
-- public query, so a confidential place still shows only as its rione.
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
	s.closure_note,
	l.id AS location_id,
	GREATEST(s.updated_at, o.updated_at, l.updated_at) AS updated_at
FROM service_at_location sal
JOIN service s ON s.id = sal.service_id AND s.status = 'active'
JOIN organization o ON o.id = s.organization_id
JOIN location l ON l.id = sal.location_id AND l.public_geom IS NOT NULL
LEFT JOIN neighbourhood n ON n.id = l.neighbourhood_id
LEFT JOIN schedule sch ON sch.service_at_location_id = sal.id;

-- HSDS lists are paged in name order (`/hsds/services`, `/hsds/organizations`): with these a page
-- is an index walk that stops after `per_page` rows instead of a sort of the whole directory.
CREATE INDEX service_name_idx ON service (name, id) WHERE status = 'active';
CREATE INDEX organization_name_idx ON organization (name, id);

-- How many public services, organisations and pins match a filter (an HSDS page's `total_items`)
-- takes a join of the whole directory: at region scale (200,000 pins) far longer than the page
-- itself. The app keeps each count in memory with the directory's change number it was computed
-- at (src/lib/server/hsds/counts.ts), and counts again once the number has moved. A sequence,
-- not a row: advancing it takes no lock, so concurrent writers never wait on one another; a
-- trigger per statement (not per row), so a seed load of thousands of rows advances it once.
CREATE SEQUENCE directory_change_seq;
COMMENT ON SEQUENCE directory_change_seq IS
	'Advanced by every statement that changes what the public directory lists (HSDS counts cache).';

CREATE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM nextval('directory_change_seq');
	RETURN NULL;
END $$;

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['service', 'service_need', 'service_audience', 'service_at_location', 'location',
		'organization', 'neighbourhood']
	LOOP
		EXECUTE format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I
			FOR EACH STATEMENT EXECUTE FUNCTION directory_changed()', t || '_directory_changed', t);
	END LOOP;
END $$;
