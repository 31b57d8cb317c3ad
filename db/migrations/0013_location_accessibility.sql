-- A location's accessibility note: how people with disabilities get in and around (HSDS 3.1
-- `accessibility.description` on a location). One free text per location: the partners write it
-- in the pact form and in self-service, seed files may carry it, the resource page and
-- GET /api/resources/{id} show it. The limit is the field rule's (src/lib/domain/records.ts).
ALTER TABLE location ADD COLUMN accessibility_description text
	CHECK (btrim(accessibility_description) <> '' AND length(accessibility_description) <= 1000);
