import { AUDIENCE_CODES, CATEGORY_CODES, NEED_CODES } from '../../domain/taxonomy';
import { textProblem, textProblemMessage } from '../../domain/text';
import { ApiError, badRequest } from './http';

/**
 * Parsers for query parameters of the public API. Each returns the value or throws a 400 whose
 * message says what was wrong and what a valid value looks like. Repeated parameters are merged
 * (`need=food&need=homework` is `need=food,homework`); an empty value counts as absent.
 */

function values(params: URLSearchParams, name: string): string[] {
	return params
		.getAll(name)
		.flatMap((value) => value.split(','))
		.map((value) => value.trim())
		.filter((value) => value !== '');
}

function single(params: URLSearchParams, name: string): string | undefined {
	const all = params.getAll(name).map((value) => value.trim()).filter((value) => value !== '');
	if (all.length > 1) badRequest(`${name} was given ${all.length} times: give it once`);
	return all[0];
}

function parseNumber(text: string): number | null {
	if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
	return Number(text);
}

export function lonLat(params: URLSearchParams, name: string): { lon: number; lat: number } | undefined {
	const raw = single(params, name);
	if (raw === undefined) return undefined;
	const parts = raw.split(',').map((part) => parseNumber(part.trim()));
	const example = `${name}=9.3905,45.8555 (longitude,latitude in degrees)`;
	if (parts.length !== 2 || parts.some((part) => part === null)) badRequest(`${name} must be two numbers, e.g. ${example}`);
	const [lon, lat] = parts as [number, number];
	if (lon < -180 || lon > 180) badRequest(`${name}: longitude ${lon} is outside -180…180. Expected ${example}`);
	if (lat < -90 || lat > 90) badRequest(`${name}: latitude ${lat} is outside -90…90. Expected ${example}`);
	return { lon, lat };
}

export function integer(params: URLSearchParams, name: string, range: { min: number; max: number; fallback: number }): number {
	const raw = single(params, name);
	if (raw === undefined) return range.fallback;
	if (!/^\d+$/.test(raw)) badRequest(`${name} must be a whole number from ${range.min} to ${range.max}`);
	const value = Number(raw);
	if (value < range.min || value > range.max) badRequest(`${name} must be from ${range.min} to ${range.max}, not ${raw}`);
	return value;
}

export function boolean(params: URLSearchParams, name: string): boolean | undefined {
	const raw = single(params, name)?.toLowerCase();
	if (raw === undefined) return undefined;
	if (raw === 'true' || raw === '1') return true;
	if (raw === 'false' || raw === '0') return false;
	badRequest(`${name} must be true or false`);
}

export function bbox(params: URLSearchParams, name: string) {
	const raw = single(params, name);
	if (raw === undefined) return undefined;
	const parts = raw.split(',').map((part) => parseNumber(part.trim()));
	const example = `${name}=9.36,45.81,9.49,45.91 (west,south,east,north in degrees)`;
	if (parts.length !== 4 || parts.some((part) => part === null)) badRequest(`${name} must be four numbers, e.g. ${example}`);
	const [west, south, east, north] = parts as [number, number, number, number];
	if ([west, east].some((lon) => lon < -180 || lon > 180) || [south, north].some((lat) => lat < -90 || lat > 90)) {
		badRequest(`${name} is outside the world's coordinates. Expected ${example}`);
	}
	if (west >= east || south >= north) badRequest(`${name} must have west < east and south < north, e.g. ${example}`);
	return { west, south, east, north };
}

function codes<T extends string>(params: URLSearchParams, name: string, valid: readonly T[]): T[] | undefined {
	const given = values(params, name);
	if (given.length === 0) return undefined;
	const unknown = given.filter((code) => !(valid as readonly string[]).includes(code));
	if (unknown.length > 0) {
		badRequest(`unknown ${name} ${unknown.map((code) => `"${code}"`).join(', ')}: valid values are ${valid.join(', ')}`);
	}
	return [...new Set(given)] as T[];
}

export const categories = (params: URLSearchParams) => codes(params, 'category', CATEGORY_CODES);
export const needs = (params: URLSearchParams, name = 'need') => codes(params, name, NEED_CODES);
export const audiences = (params: URLSearchParams) => codes(params, 'audience', AUDIENCE_CODES);

export function text(params: URLSearchParams, name: string, maxLength: number): string | undefined {
	const raw = single(params, name);
	if (raw === undefined) return undefined;
	if (raw.length > maxLength) badRequest(`${name} is longer than ${maxLength} characters`);
	const problem = textProblem(raw);
	if (problem) badRequest(`${name} ${textProblemMessage(problem)}`);
	return raw;
}

/**
 * For pages, which render whatever the address holds: runs a parser and, when the value is
 * malformed, notes the problem in `problems` and answers `fallback` instead of a 400.
 */
export function tolerant<T>(problems: string[], parse: () => T, fallback: T): T {
	try {
		return parse();
	} catch (error) {
		if (!(error instanceof ApiError)) throw error;
		problems.push(error.message);
		return fallback;
	}
}
