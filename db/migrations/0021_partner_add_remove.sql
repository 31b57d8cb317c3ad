-- Partners add and remove their places and services from the partner pages, with history and
-- revert (src/lib/server/partner/changes.ts).
--
-- A removal is soft, so that reverting it restores the record exactly (its fields, hours, needs,
-- and the referrals and plan actions that point at it): a service is set `inactive` (the status
-- public_resource already filters on), a place gets `removed_at`. A place is removed only when no
-- active service is offered there (changes.ts refuses otherwise), so a removed place never shows
-- through public_resource; the partner pages and the gazetteer skip removed places themselves.
ALTER TABLE location ADD COLUMN removed_at timestamptz;

-- The history gains the creation and the removal of a record: `create` (before {}, after the new
-- record's fields) and `remove` (before {removed: false}, after {removed: true}). Reverting a create
-- removes the record; reverting a remove restores it; both are ordinary `revert` rows.
ALTER TABLE record_change DROP CONSTRAINT record_change_action_check;
ALTER TABLE record_change ADD CONSTRAINT record_change_action_check
	CHECK (action IN ('update', 'verify', 'revert', 'create', 'remove'));
