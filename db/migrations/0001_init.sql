-- The public directory, its taxonomies, neighbourhoods, the gazetteer and pact membership.
-- Names follow Open Referral HSDS 3.1 where it has them (organization, service, location,
-- service_at_location, schedule, phone, service_area). Coordinates are WGS84 (SRID 4326).

CREATE EXTENSION IF NOT EXISTS postgis;

-- Accent- and case-insensitive text for free-text search without the unaccent extension, which
-- the embedded PostGIS does not ship. Covers the letters Italian and its neighbours use.
CREATE FUNCTION fold_text(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURNS NULL ON NULL INPUT
AS $$
	SELECT translate(lower(value),
		'àáâãäåèéêëìíîïòóôõöùúûüçñ’''',
		'aaaaaaeeeeiiiiooooouuuucn  ')
$$;

-- ---------------------------------------------------------------------------------------------
-- Taxonomies: stable codes with Italian and English labels. The same lists live in
-- src/lib/domain/taxonomy.ts; a test checks that both agree.
CREATE TABLE category (
	code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z_]{1,30}$'),
	label_it text NOT NULL CHECK (btrim(label_it) <> ''),
	label_en text NOT NULL CHECK (btrim(label_en) <> ''),
	position smallint NOT NULL UNIQUE
);

CREATE TABLE need (LIKE category INCLUDING ALL);
CREATE TABLE audience (LIKE category INCLUDING ALL);

INSERT INTO category (code, label_it, label_en, position) VALUES
	('partner', 'Associazioni e terzo settore', 'Associations and third sector', 1),
	('institution', 'Servizi pubblici', 'Public services', 2),
	('parish', 'Parrocchie', 'Parishes', 3),
	('school', 'Scuole e doposcuola', 'Schools and after-school', 4),
	('shop', 'Negozi di vicinato', 'Neighbourhood shops', 5),
	('custodia', 'Custodia sociale', 'Neighbourhood care points', 6),
	('health', 'Salute', 'Health', 7);

INSERT INTO need (code, label_it, label_en, position) VALUES
	('food', 'Cibo e spesa', 'Food', 1),
	('clothing', 'Vestiti', 'Clothing', 2),
	('housing', 'Casa', 'Housing', 3),
	('work', 'Lavoro', 'Work', 4),
	('homework', 'Aiuto nei compiti', 'Homework help', 5),
	('childcare', 'Cura dei bambini', 'Childcare', 6),
	('youth', 'Ragazzi e giovani', 'Young people', 7),
	('elderly', 'Anziani', 'Older people', 8),
	('listening', 'Ascolto', 'Someone to listen', 9),
	('health', 'Salute', 'Health', 10),
	('disability', 'Disabilità', 'Disability', 11),
	('legal', 'Consulenza legale', 'Legal advice', 12),
	('language', 'Lingua italiana', 'Italian language', 13),
	('money', 'Sostegno economico', 'Financial help', 14),
	('community', 'Compagnia e comunità', 'Company and community', 15),
	('volunteering', 'Volontariato', 'Volunteering', 16);

INSERT INTO audience (code, label_it, label_en, position) VALUES
	('children', 'Bambini', 'Children', 1),
	('teens', 'Ragazzi', 'Teenagers', 2),
	('families', 'Famiglie', 'Families', 3),
	('elderly', 'Anziani', 'Older people', 4),
	('disability', 'Persone con disabilità', 'People with disabilities', 5),
	('migrants', 'Persone migranti', 'Migrants', 6),
	('women', 'Donne', 'Women', 7),
	('everyone', 'Tutti', 'Everyone', 8);

-- ---------------------------------------------------------------------------------------------
-- Provenance: every public record names the data set it comes from (or `partner` when the
-- organisation keeps it itself) and carries its licence and attribution.
CREATE TABLE source (
	id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,60}$'),
	name text NOT NULL CHECK (btrim(name) <> ''),
	licence text NOT NULL CHECK (btrim(licence) <> ''),
	url text,
	attribution text NOT NULL CHECK (btrim(attribution) <> '')
);

INSERT INTO source (id, name, licence, attribution) VALUES
	('partner', 'Inserito dal partner del Patto', 'CC BY 4.0', 'Partner del Patto di comunità di Lecco');

-- ---------------------------------------------------------------------------------------------
-- Places: neighbourhoods (rioni), administrative areas for the basemap, the gazetteer.
CREATE TABLE neighbourhood (
	id serial PRIMARY KEY,
	name text NOT NULL UNIQUE CHECK (btrim(name) <> ''),
	geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
	-- Where labels and approximate (confidential) points go: always inside the polygon.
	label_point geometry(Point, 4326) NOT NULL,
	derived boolean NOT NULL,
	source_id text NOT NULL REFERENCES source,
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX neighbourhood_geom_idx ON neighbourhood USING gist (geom);

CREATE TABLE administrative_area (
	istat_code text PRIMARY KEY CHECK (istat_code ~ '^[0-9]{6}$'),
	name text NOT NULL CHECK (btrim(name) <> ''),
	geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
	-- The comune this instance serves (drawn as the city outline) versus its neighbours (context).
	served boolean NOT NULL DEFAULT false,
	source_id text NOT NULL REFERENCES source
);
CREATE INDEX administrative_area_geom_idx ON administrative_area USING gist (geom);

-- Named places for the search box: GeoNames places, squares, churches, rione centres.
CREATE TABLE place (
	id serial PRIMARY KEY,
	name text NOT NULL CHECK (btrim(name) <> ''),
	kind text NOT NULL CHECK (kind IN ('neighbourhood', 'locality', 'square', 'landmark', 'station', 'park', 'mountain', 'water')),
	geom geometry(Point, 4326) NOT NULL,
	in_served_area boolean NOT NULL,
	source_id text NOT NULL REFERENCES source,
	source_ref text,
	UNIQUE (source_id, source_ref)
);
CREATE INDEX place_geom_idx ON place USING gist (geom);
CREATE INDEX place_name_idx ON place (fold_text(name));

-- Official street names (ANNCSU): no coordinates, used to recognise and complete addresses.
CREATE TABLE street (
	id serial PRIMARY KEY,
	name text NOT NULL CHECK (btrim(name) <> ''),
	prefix text NOT NULL,
	istat_code text NOT NULL CHECK (istat_code ~ '^[0-9]{6}$'),
	source_id text NOT NULL REFERENCES source,
	source_ref text NOT NULL,
	UNIQUE (source_id, source_ref)
);
CREATE INDEX street_name_idx ON street (fold_text(name));

-- ---------------------------------------------------------------------------------------------
-- The public directory.
CREATE TABLE organization (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 300),
	-- The map layer the organisation belongs to; each service may sit in another one.
	kind text NOT NULL REFERENCES category,
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
	email text CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
	website text CHECK (website ~ '^https?://[^\s]+$'),
	source_id text NOT NULL REFERENCES source,
	-- The record's identifier in its source, so a re-import updates instead of duplicating.
	source_ref text,
	demo boolean NOT NULL DEFAULT false,
	verified_at date NOT NULL DEFAULT current_date,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (source_id, source_ref)
);
CREATE INDEX organization_demo_idx ON organization (demo) WHERE demo;

CREATE TABLE location (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	organization_id uuid NOT NULL REFERENCES organization ON DELETE CASCADE,
	name text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 300),
	-- The true point. Public queries never read it: they read public_geom.
	geom geometry(Point, 4326) NOT NULL CHECK (
		NOT ST_IsEmpty(geom) AND ST_X(geom) BETWEEN -180 AND 180 AND ST_Y(geom) BETWEEN -90 AND 90),
	-- A confidential location (a shelter, say) is shown only as its rione.
	confidential boolean NOT NULL DEFAULT false,
	address_1 text CHECK (length(address_1) <= 300),
	postal_code text CHECK (postal_code ~ '^[0-9]{5}$'),
	city text CHECK (length(city) <= 100),
	-- Maintained by set_location_places(): the rione containing geom, and the point the public
	-- sees (geom itself, or the rione's label point when confidential; NULL = not shown at all).
	neighbourhood_id integer REFERENCES neighbourhood ON DELETE SET NULL,
	public_geom geometry(Point, 4326),
	source_ref text,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (organization_id, source_ref)
);
CREATE INDEX location_public_geom_idx ON location USING gist (public_geom);
-- Distances in metres are computed on geography: index that expression too, so KNN and
-- ST_DWithin on it use an index.
CREATE INDEX location_public_geog_idx ON location USING gist ((public_geom::geography));
CREATE INDEX location_organization_idx ON location (organization_id);

CREATE FUNCTION set_location_places() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.neighbourhood_id := (
		SELECT n.id FROM neighbourhood n WHERE ST_Intersects(n.geom, NEW.geom) ORDER BY n.id LIMIT 1);
	IF NEW.confidential THEN
		NEW.public_geom := (SELECT n.label_point FROM neighbourhood n WHERE n.id = NEW.neighbourhood_id);
	ELSE
		NEW.public_geom := NEW.geom;
	END IF;
	RETURN NEW;
END $$;

CREATE TRIGGER location_places
	BEFORE INSERT OR UPDATE OF geom, confidential ON location
	FOR EACH ROW EXECUTE FUNCTION set_location_places();

CREATE TABLE service (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	organization_id uuid NOT NULL REFERENCES organization ON DELETE CASCADE,
	name text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 300),
	description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
	category text NOT NULL REFERENCES category,
	status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
	-- Capacity: whether it takes new people now; NULL when nobody has said.
	accepting_new boolean,
	email text CHECK (email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
	url text CHECK (url ~ '^https?://[^\s]+$'),
	source_ref text,
	verified_at date NOT NULL DEFAULT current_date,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now(),
	UNIQUE (organization_id, source_ref)
);
CREATE INDEX service_organization_idx ON service (organization_id);
CREATE INDEX service_category_idx ON service (category);

CREATE TABLE service_need (
	service_id uuid NOT NULL REFERENCES service ON DELETE CASCADE,
	need text NOT NULL REFERENCES need,
	PRIMARY KEY (service_id, need)
);
CREATE INDEX service_need_need_idx ON service_need (need, service_id);

CREATE TABLE service_audience (
	service_id uuid NOT NULL REFERENCES service ON DELETE CASCADE,
	audience text NOT NULL REFERENCES audience,
	PRIMARY KEY (service_id, audience)
);
CREATE INDEX service_audience_audience_idx ON service_audience (audience, service_id);

-- The rioni a service is meant for (HSDS service_area).
CREATE TABLE service_area (
	service_id uuid NOT NULL REFERENCES service ON DELETE CASCADE,
	neighbourhood_id integer NOT NULL REFERENCES neighbourhood ON DELETE CASCADE,
	PRIMARY KEY (service_id, neighbourhood_id)
);

-- A map pin: a service offered at a location.
CREATE TABLE service_at_location (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	service_id uuid NOT NULL REFERENCES service ON DELETE CASCADE,
	location_id uuid NOT NULL REFERENCES location ON DELETE CASCADE,
	UNIQUE (service_id, location_id)
);
CREATE INDEX service_at_location_location_idx ON service_at_location (location_id);

CREATE TABLE phone (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	organization_id uuid REFERENCES organization ON DELETE CASCADE,
	service_id uuid REFERENCES service ON DELETE CASCADE,
	number text NOT NULL CHECK (number ~ '^\+?[0-9][0-9 ./-]{4,19}$'),
	description text CHECK (length(description) <= 200),
	CHECK (num_nonnulls(organization_id, service_id) = 1)
);
CREATE INDEX phone_organization_idx ON phone (organization_id);
CREATE INDEX phone_service_idx ON phone (service_id);

-- Opening hours. An OSM `opening_hours` expression is stored once however many pins share it,
-- and its concrete open intervals for the coming days are expanded (by the app, with the
-- opening_hours library, in Europe/Rome) into opening_interval, so "open now" is a SQL join.
CREATE TABLE opening_hours (
	id serial PRIMARY KEY,
	expression text NOT NULL UNIQUE CHECK (btrim(expression) <> '' AND length(expression) <= 1000),
	timezone text NOT NULL DEFAULT 'Europe/Rome' CHECK (timezone = 'Europe/Rome'),
	-- Intervals are known up to here; NULL until first expanded.
	expanded_until timestamptz
);

CREATE TABLE opening_interval (
	opening_hours_id integer NOT NULL REFERENCES opening_hours ON DELETE CASCADE,
	during tstzrange NOT NULL CHECK (NOT isempty(during)),
	PRIMARY KEY (opening_hours_id, during)
);
CREATE INDEX opening_interval_during_idx ON opening_interval USING gist (during);

CREATE TABLE schedule (
	service_at_location_id uuid PRIMARY KEY REFERENCES service_at_location ON DELETE CASCADE,
	opening_hours_id integer NOT NULL REFERENCES opening_hours,
	description text CHECK (length(description) <= 500)
);
CREATE INDEX schedule_opening_hours_idx ON schedule (opening_hours_id);

-- ---------------------------------------------------------------------------------------------
-- The pact: which organisations signed it, when, by whom, and which commitments they took.
CREATE TABLE pact_commitment (LIKE category INCLUDING ALL);

INSERT INTO pact_commitment (code, label_it, label_en, position) VALUES
	('keep_information_current', 'Tenere aggiornate le proprie informazioni sulla mappa', 'Keep our information on the map up to date', 1),
	('signpost_families', 'Orientare le famiglie verso i servizi e le risorse del territorio', 'Point families to the services and resources around them', 2),
	('shared_support_plans', 'Partecipare ai progetti di sostegno condivisi', 'Take part in shared support plans', 3),
	('custodia_sociale', 'Essere presidio di custodia sociale nel proprio rione', 'Be a neighbourhood-care presence in our rione', 4),
	('offer_spaces', 'Mettere a disposizione spazi', 'Offer spaces', 5),
	('offer_volunteers', 'Mettere a disposizione volontari e tempo', 'Offer volunteers and time', 6),
	('share_knowledge', 'Condividere conoscenze e segnalazioni nel rispetto della riservatezza', 'Share knowledge and concerns, respecting confidentiality', 7);

CREATE TABLE pact_membership (
	organization_id uuid PRIMARY KEY REFERENCES organization ON DELETE CASCADE,
	status text NOT NULL CHECK (status IN ('requested', 'signed', 'suspended')),
	requested_at timestamptz NOT NULL DEFAULT now(),
	signed_at date,
	signed_by text CHECK (length(signed_by) <= 200),
	free_commitment text CHECK (length(free_commitment) <= 2000),
	updated_at timestamptz NOT NULL DEFAULT now(),
	CHECK (status = 'requested' OR signed_at IS NOT NULL)
);

CREATE TABLE pact_membership_commitment (
	organization_id uuid NOT NULL REFERENCES pact_membership ON DELETE CASCADE,
	commitment text NOT NULL REFERENCES pact_commitment,
	PRIMARY KEY (organization_id, commitment)
);

-- ---------------------------------------------------------------------------------------------
-- What the public sees: one row per pin, with the public point only. Public API queries read
-- this view and nothing else of the directory.
CREATE VIEW public_resource AS
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
	fold_text(concat_ws(' ', s.name, o.name, s.description, n.name)) AS search_text
FROM service_at_location sal
JOIN service s ON s.id = sal.service_id AND s.status = 'active'
JOIN organization o ON o.id = s.organization_id
JOIN location l ON l.id = sal.location_id AND l.public_geom IS NOT NULL
LEFT JOIN neighbourhood n ON n.id = l.neighbourhood_id
LEFT JOIN schedule sch ON sch.service_at_location_id = sal.id;

-- ---------------------------------------------------------------------------------------------
-- Which seed files are loaded, by checksum: a changed file is loaded again at start-up.
CREATE TABLE seed_load (
	name text PRIMARY KEY,
	checksum text NOT NULL,
	loaded_at timestamptz NOT NULL DEFAULT now()
);
