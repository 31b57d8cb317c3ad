-- The hourly limit of error reports per client address (ATLANTE_REPORTS_PER_HOUR), shared by every
-- app instance on the database (issue 16): until now each instance counted in its own memory, so
-- behind a proxy spreading requests over N instances a script got N times the limit.
--
-- The address itself is never stored (0023: a citizen's report must not leave it behind): a row
-- holds a SHA-256 of the address salted with a random key kept here, and lives one hour. The key
-- is replaced after a day (src/lib/server/db/report-throttle.ts), so nothing stored links to an
-- address for longer than that, whatever the rows' age.
CREATE TABLE report_throttle_key (
	-- One row only.
	id boolean PRIMARY KEY DEFAULT true CHECK (id),
	salt bytea NOT NULL CHECK (length(salt) = 32),
	-- Stamped with the app's clock, as the reports are.
	created_at timestamptz NOT NULL
);

CREATE TABLE report_throttle (
	address_hash bytea NOT NULL,
	at timestamptz NOT NULL
);
CREATE INDEX report_throttle_hash_idx ON report_throttle (address_hash, at);
CREATE INDEX report_throttle_at_idx ON report_throttle (at);

COMMENT ON TABLE report_throttle IS 'Error reports sent per (salted, hashed) client address in the last hour: the shared rate limit. No address is stored.';
