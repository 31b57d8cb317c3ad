-- Re-places every location after the rioni changed: its neighbourhood and its public point (the
-- set_location_places trigger does the work; an update of geom fires it). Returns how many
-- locations were re-placed. Re-applied on every migrate.
CREATE OR REPLACE FUNCTION refresh_location_places() RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	touched integer;
BEGIN
	UPDATE location SET geom = geom;
	GET DIAGNOSTICS touched = ROW_COUNT;
	RETURN touched;
END $$;

COMMENT ON FUNCTION refresh_location_places() IS
	'Recompute every location''s rione and public point (confidential ones move to the rione label point). Call after neighbourhoods change.';
