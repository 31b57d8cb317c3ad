-- Who may change directory content (issue 10): the demo choice is recorded once and changed only by
-- an explicit command, and the seed loader remembers what it wrote so it never overwrites an edit.

-- ---------------------------------------------------------------------------------------------
-- Settings decided once and kept in the database rather than read from each process's
-- environment, so a command run from another shell cannot contradict the running app.
-- `demo`: whether the fictional demo set is loaded (a JSON boolean).
CREATE TABLE app_setting (
	key text PRIMARY KEY,
	value jsonb NOT NULL,
	set_at timestamptz NOT NULL DEFAULT now(),
	-- What made the choice, e.g. "ATLANTE_DEMO at first start" or "npm run seed -- --demo off".
	set_by text NOT NULL CHECK (length(set_by) <= 200)
);

-- A database seeded before this migration already made its choice: the records present say which.
-- A fresh one (nothing loaded yet) makes it at its first start.
INSERT INTO app_setting (key, value, set_by)
SELECT 'demo', to_jsonb(EXISTS (SELECT 1 FROM organization WHERE demo)), 'migration 0006, from the records present'
WHERE EXISTS (SELECT 1 FROM seed_load);

-- ---------------------------------------------------------------------------------------------
-- The fields as the loader last wrote them from a bundle (a seed file, or an approved application),
-- in the loader's field names. A field whose value differs from it was edited since (by a partner
-- or an administrator) and is theirs: the loader leaves it alone. NULL: written before this
-- migration; the loader then treats the fields named in record_change as edited.
ALTER TABLE organization ADD COLUMN seeded jsonb CHECK (jsonb_typeof(seeded) = 'object');
ALTER TABLE location ADD COLUMN seeded jsonb CHECK (jsonb_typeof(seeded) = 'object');
ALTER TABLE service ADD COLUMN seeded jsonb CHECK (jsonb_typeof(seeded) = 'object');
