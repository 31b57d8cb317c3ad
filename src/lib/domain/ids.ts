/**
 * Record ids as clients send them (in paths, forms and JSON): a UUID written the canonical way.
 * Checked before any query, so a malformed id is "not found" or a 400, never a database error.
 * Pure: shared by browser and server.
 */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
