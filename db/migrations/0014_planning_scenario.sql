-- Issue 11 ("what if"): planners' saved scenarios. A scenario is hypothetical resources and hidden
-- existing ones for one need; it is never applied to the directory, only re-run by the coverage
-- functions when opened. `body` is validated by scenarioBodySchema (src/lib/domain/planning.ts)
-- on every write and every read; the database checks only its outline. It holds no personal data:
-- points, need codes, resource ids and optional hours in words. Shared as a link with the id alone.

CREATE TABLE planning_scenario (
	id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
	name text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 120),
	body jsonb NOT NULL CHECK (jsonb_typeof(body) = 'object' AND body ? 'need'),
	-- Kept when the account goes: the scenario belongs to the planning office, not to its author.
	created_by uuid REFERENCES app_user ON DELETE SET NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX planning_scenario_updated_idx ON planning_scenario (updated_at DESC, id);
