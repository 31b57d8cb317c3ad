import type { MultiPolygon, Position } from 'geojson';
import { z } from 'zod';
import { isPlausibleDate } from './dates';
import { checkArea } from './geometry';
import { isCleanText } from './text';

/**
 * The territory an administrator maintains: residents per rione (a newer figure, kept as history)
 * and the rioni's boundaries (a GeoJSON import). Pure rules shared by the admin pages' actions,
 * the services and their tests. Problems are data (`{ field, code, values }`); each page says
 * them in its language (`territory.error.<code>` in the i18n files).
 */

export interface Problem {
	/** The form field, or `file` for the boundary file as a whole. */
	field: string;
	code: string;
	values?: Record<string, string | number>;
}

/* Residents per rione. */

/** The largest figure accepted for one rione: Lecco has ~48,000 residents in all. */
export const MAX_RESIDENTS = 1_000_000;
export const MAX_SOURCE_NOTE = 300;

export interface PopulationForm {
	rione: string;
	residents: string;
	reference_date: string;
	source_note: string;
}

export interface PopulationFigure {
	rione: string;
	residents: number;
	referenceDate: string;
	sourceNote: string;
}

const clean = (max: number) =>
	z
		.string()
		.trim()
		.min(1, 'required')
		.max(max, 'tooLong')
		.refine(isCleanText, 'text');

/** The form as sent, every field a string (missing fields are empty). */
export function populationFormValues(form: FormData): PopulationForm {
	const text = (name: string) => {
		const value = form.get(name);
		return typeof value === 'string' ? value.slice(0, 2000) : '';
	};
	return { rione: text('rione'), residents: text('residents'), reference_date: text('reference_date'), source_note: text('source_note') };
}

/**
 * Reads the "newer figure" form: a rione's name, a whole number of residents (0…MAX_RESIDENTS;
 * "12.345" and "12,345" are read as thousands separators, as people write them), a real reference
 * day between EARLIEST_DAY and `today` (Rome's, from the caller's clock), and where it comes from.
 */
export function readPopulationForm(values: PopulationForm, today: string): { ok: true; figure: PopulationFigure } | { ok: false; problems: Problem[] } {
	const schema = z.object({
		rione: clean(100),
		residents: z
			.string()
			.trim()
			.min(1, 'required')
			.transform((v) => v.replace(/[.,'\s](?=\d{3}(\D|$))/g, ''))
			.refine((v) => /^\d{1,7}$/.test(v), 'residents')
			.transform(Number)
			.refine((n) => n <= MAX_RESIDENTS, 'residents'),
		reference_date: z
			.string()
			.trim()
			.min(1, 'required')
			.refine(isPlausibleDate, 'date')
			.refine((v) => v <= today, 'future'),
		source_note: clean(MAX_SOURCE_NOTE)
	});
	const parsed = schema.safeParse(values);
	if (!parsed.success) {
		const problems: Problem[] = [];
		for (const issue of parsed.error.issues) {
			const field = String(issue.path[0] ?? 'form');
			// The first problem of a field is the one to fix first.
			if (problems.some((p) => p.field === field)) continue;
			problems.push({ field, code: issue.message, values: issue.message === 'tooLong' ? { max: field === 'rione' ? 100 : MAX_SOURCE_NOTE } : issue.message === 'residents' ? { max: MAX_RESIDENTS } : undefined });
		}
		return { ok: false, problems };
	}
	const { rione, residents, reference_date, source_note } = parsed.data;
	return { ok: true, figure: { rione, residents, referenceDate: reference_date, sourceNote: source_note } };
}

/* Boundaries. */

/** Limits of a boundary file: well above a city's rioni, well below what slows the app down. */
export const BOUNDARY_LIMITS = {
	/** Under the app's request body limit (adapter-node's BODY_SIZE_LIMIT, 512 KB by default). */
	bytes: 450_000,
	features: 200,
	positions: 60_000,
	nameLength: 100
} as const;

/** [west, south, east, north] in degrees. */
export type Bounds = [number, number, number, number];

export interface BoundaryFeature {
	name: string;
	geometry: MultiPolygon;
}

export type BoundaryRead = { ok: true; features: BoundaryFeature[] } | { ok: false; problems: Problem[] };

/** `bounds` grown by `metres` on every side (a degree of longitude shrinks with the latitude). */
export function growBounds(bounds: Bounds, metres: number): Bounds {
	const [w, s, e, n] = bounds;
	const dLat = metres / 111_320;
	const dLon = metres / (111_320 * Math.cos((((s + n) / 2) * Math.PI) / 180));
	return [w - dLon, s - dLat, e + dLon, n + dLat];
}

function positionsOf(geometry: MultiPolygon): Position[] {
	return geometry.coordinates.flat(2);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads an uploaded boundary file: a GeoJSON FeatureCollection whose every feature is a valid
 * Polygon or MultiPolygon (checkArea: the same checks as every geometry we store) with a unique,
 * non-empty `name`, lying within `within` (the served comune's bounds grown by a margin). All
 * problems are reported, up to a handful, so one upload shows what to fix.
 */
export function readBoundaryFile(text: string, within: Bounds): BoundaryRead {
	const problems: Problem[] = [];
	const add = (code: string, values?: Problem['values']) => problems.push({ field: 'file', code, values });
	if (new TextEncoder().encode(text).length > BOUNDARY_LIMITS.bytes) {
		add('tooLarge', { max: Math.round(BOUNDARY_LIMITS.bytes / 1000) });
		return { ok: false, problems };
	}
	if (!isCleanText(text)) {
		add('notJson');
		return { ok: false, problems };
	}
	let data: unknown;
	try {
		data = JSON.parse(text);
	} catch {
		add('notJson');
		return { ok: false, problems };
	}
	if (!isRecord(data) || data.type !== 'FeatureCollection' || !Array.isArray(data.features)) {
		add('notCollection');
		return { ok: false, problems };
	}
	if (data.features.length === 0) add('empty');
	if (data.features.length > BOUNDARY_LIMITS.features) add('tooMany', { max: BOUNDARY_LIMITS.features });
	if (problems.length) return { ok: false, problems };

	const features: BoundaryFeature[] = [];
	const seen = new Set<string>();
	let positions = 0;
	for (const [index, feature] of (data.features as unknown[]).entries()) {
		if (problems.length >= 10) break;
		const n = index + 1;
		const properties = isRecord(feature) && isRecord(feature.properties) ? feature.properties : {};
		const rawName = properties.name;
		const name = typeof rawName === 'string' ? rawName.trim().replace(/\s+/g, ' ') : '';
		if (!isRecord(feature) || feature.type !== 'Feature') {
			add('notFeature', { n });
			continue;
		}
		if (!name) {
			add('noName', { n });
			continue;
		}
		if (name.length > BOUNDARY_LIMITS.nameLength || !isCleanText(name)) {
			add('badName', { n, max: BOUNDARY_LIMITS.nameLength });
			continue;
		}
		// Names are compared as people read them: "Santo Stefano" and "santo stefano" are one rione.
		const key = name.toLocaleLowerCase('it');
		if (seen.has(key)) {
			add('duplicateName', { name });
			continue;
		}
		seen.add(key);
		const checked = checkArea(feature.geometry);
		if (!checked.ok) {
			add('geometry', { name, detail: checked.error });
			continue;
		}
		const own = positionsOf(checked.value);
		positions += own.length;
		if (positions > BOUNDARY_LIMITS.positions) {
			add('tooManyPositions', { max: BOUNDARY_LIMITS.positions });
			break;
		}
		const [w, s, e, nn] = within;
		if (own.some(([lon, lat]) => lon! < w || lon! > e || lat! < s || lat! > nn)) {
			add('farAway', { name });
			continue;
		}
		features.push({ name, geometry: checked.value });
	}
	return problems.length ? { ok: false, problems } : { ok: true, features };
}

/** What an import changes, by rione name. */
export interface BoundaryDiff {
	added: string[];
	changed: string[];
	unchanged: string[];
	removed: string[];
}

export interface BoundarySource {
	name: string;
	licence: string;
}

/** Where the new boundaries come from and under which licence: cited like every public layer. */
export function readBoundarySource(values: { source_name: string; licence: string }): { ok: true; source: BoundarySource } | { ok: false; problems: Problem[] } {
	const schema = z.object({ source_name: clean(200), licence: clean(100) });
	const parsed = schema.safeParse(values);
	if (!parsed.success) {
		const problems: Problem[] = [];
		for (const issue of parsed.error.issues) {
			const field = String(issue.path[0] ?? 'form');
			if (!problems.some((p) => p.field === field)) problems.push({ field, code: issue.message, values: { max: field === 'licence' ? 100 : 200 } });
		}
		return { ok: false, problems };
	}
	return { ok: true, source: { name: parsed.data.source_name, licence: parsed.data.licence } };
}
