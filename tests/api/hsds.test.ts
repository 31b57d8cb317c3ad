import fs from 'node:fs';
import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, inject, it } from 'vitest';

/**
 * Issue 15, items 1 and 2: the HSDS 3.1 API and the exports, over HTTP against the built app.
 * Every answer is validated against the pinned HSDS 3.1 schemas and OpenAPI document (the copy in
 * src/lib/server/hsds/spec, read from disk here, not from the app) with Ajv's JSON Schema 2020-12
 * validator, and the lists go through the Open Referral UK "level 1" checks: paging metadata
 * present and consistent on the first, a middle and the last page, and `/services/{id}` for every
 * listed id.
 */
const base = inject('baseUrl');
const SPEC = 'src/lib/server/hsds/spec/schema';
const SCHEMA_BASE = 'https://schemas.test/hsds/';

// The schema files carry non-standard keywords (spec README): declared, so strict mode still
// rejects anything else unknown instead of ignoring it.
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
addFormats(ajv);
ajv.addVocabulary(['constraints', 'core', 'datapackage_metadata', 'tabular_required', 'datapackage_type', 'example', 'name', 'path']);
const openapi = JSON.parse(fs.readFileSync(path.join(SPEC, 'openapi.json'), 'utf8'));
for (const file of fs.readdirSync(SPEC)) {
	if (file === 'openapi.json' || !file.endsWith('.json')) continue;
	ajv.addSchema({ ...JSON.parse(fs.readFileSync(path.join(SPEC, file), 'utf8')), $id: SCHEMA_BASE + file });
}
ajv.addSchema({ ...openapi.components.schemas.Page, $id: SCHEMA_BASE + 'components/Page' });

/** The pinned document's $refs point at `…/specification/3.0/schema/[compiled/]x[_list].json`: the pinned `x.json`. */
function localRefs(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(localRefs);
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, inner]) => {
				if (key !== '$ref' || typeof inner !== 'string') return [key, localRefs(inner)];
				if (inner === '#/components/schemas/Page') return [key, SCHEMA_BASE + 'components/Page'];
				const file = /\/schema\/(?:compiled\/)?([a-z_]+?)(?:_list)?\.json$/.exec(inner)?.[1];
				if (!file) throw new Error(`unexpected $ref ${inner}`);
				return [key, `${SCHEMA_BASE}${file}.json`];
			})
		);
	}
	return value;
}

const validators = new Map<string, ValidateFunction>();
/** The validator of the OpenAPI document's 200 answer of `GET <apiPath>`. */
function validatorOf(apiPath: string): ValidateFunction {
	let validate = validators.get(apiPath);
	if (!validate) {
		const schema = openapi.paths[apiPath].get.responses['200'].content['application/json'].schema;
		validate = ajv.compile(localRefs(schema) as object);
		validators.set(apiPath, validate);
	}
	return validate;
}

function expectValid(apiPath: string, body: unknown, where: string) {
	const validate = validatorOf(apiPath);
	const ok = validate(body);
	expect(ok, `${where}: ${ajv.errorsText(validate.errors, { separator: '\n' })}`).toBe(true);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are checked by the schemas, then read freely
type Json = any;

async function get(url: string, init?: RequestInit): Promise<{ status: number; headers: Headers; body: Json }> {
	const response = await fetch(base + url, init);
	const type = response.headers.get('content-type') ?? '';
	const body = type.includes('json') ? await response.json() : await response.text();
	return { status: response.status, headers: response.headers, body };
}

async function ok(url: string, apiPath: string) {
	const answer = await get(url);
	expect(answer.status, `${url}: ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(200);
	expectValid(apiPath, answer.body, url);
	return answer.body;
}

interface Page {
	total_items: number;
	total_pages: number;
	page_number: number;
	size: number;
	first_page: boolean;
	last_page: boolean;
	empty: boolean;
	contents: { id: string; [key: string]: Json }[];
}

/** Every page of a list, each validated and checked for consistent paging metadata; the items of all. */
async function walk(list: string, apiPath: string, perPage: number): Promise<Page['contents']> {
	const sep = list.includes('?') ? '&' : '?';
	const first = (await ok(`${list}${sep}per_page=${perPage}`, apiPath)) as Page;
	const items = [...first.contents];
	for (const key of ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents']) {
		expect(first, `${list}: ${key}`).toHaveProperty(key);
	}
	const pages = Math.ceil(first.total_items / perPage);
	expect(first.total_pages).toBe(pages);
	for (let n = 1; n <= Math.max(pages, 1); n++) {
		const page = n === 1 ? first : ((await ok(`${list}${sep}per_page=${perPage}&page=${n}`, apiPath)) as Page);
		if (n > 1) items.push(...page.contents);
		const expectedSize = pages === 0 ? 0 : n < pages ? perPage : first.total_items - (pages - 1) * perPage;
		expect(page, `${list} page ${n}`).toMatchObject({
			total_items: first.total_items,
			total_pages: pages,
			page_number: n,
			size: expectedSize,
			first_page: n === 1,
			last_page: n >= pages,
			empty: expectedSize === 0
		});
		expect(page.contents).toHaveLength(expectedSize);
	}
	// Beyond the last page: empty, still a valid page.
	const beyond = (await ok(`${list}${sep}per_page=${perPage}&page=${pages + 1}`, apiPath)) as Page;
	expect(beyond).toMatchObject({ total_items: first.total_items, size: 0, empty: true, last_page: true, first_page: pages === 0 });
	expect(new Set(items.map((item) => item.id)).size).toBe(first.total_items);
	return items;
}

/** Runs `check` on every item, a few requests at a time. */
async function inBatches<T>(items: T[], check: (item: T) => Promise<void>, size = 6) {
	for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(check));
}

interface ResourceFeature {
	id: string;
	geometry: { coordinates: [number, number] };
	properties: { demo: boolean; approximate: boolean; needs: string[]; neighbourhood: string | null; distance_m?: number };
}

let features: ResourceFeature[] = [];
let services: Page['contents'] = [];

beforeAll(async () => {
	features = (await get('/api/resources?limit=5000')).body.features;
	expect(features.some((f) => f.properties.demo)).toBe(true);
	expect(features.some((f) => !f.properties.demo)).toBe(true);
	services = (await get('/hsds/services?per_page=500')).body.contents;
});

describe('GET /hsds/', () => {
	it('says the HSDS version and links the profile and the OpenAPI document, both served here', async () => {
		for (const url of ['/hsds/', '/hsds']) {
			const body = await ok(url, '/');
			expect(body).toEqual({ version: '3.1', profile: `${base}/hsds/profile`, openapi_url: `${base}/hsds/openapi.json` });
		}
		const profile = await fetch(`${base}/hsds/profile`);
		expect(profile.status).toBe(200);
		expect(profile.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
		const text = await profile.text();
		expect(text).toContain('x_opening_hours');
		expect(text).toBe(fs.readFileSync('docs/hsds-lecco-profile.md', 'utf8'));

		const document = (await get('/hsds/openapi.json')).body;
		expect(document.openapi).toBe('3.1.0');
		expect(Object.keys(document.paths).sort()).toEqual(Object.keys(openapi.paths).sort());
		const refs = JSON.stringify(document).match(/"\$ref":"http[^"]+"/g) ?? [];
		expect(refs.length).toBeGreaterThan(10);
		for (const ref of new Set(refs)) {
			const url = JSON.parse(`{${ref}}`).$ref as string;
			expect(url.startsWith(`${base}/hsds/schema/`), url).toBe(true);
			const served = await get(url.slice(base.length));
			expect(served.status, url).toBe(200);
			const file = url.slice(url.lastIndexOf('/') + 1);
			expect(served.body).toEqual(JSON.parse(fs.readFileSync(path.join(SPEC, file), 'utf8')));
		}
		expect((await get('/hsds/schema/nothing.json')).status).toBe(404);
	});
});

describe('HSDS lists: valid, paged consistently (ORUK level 1), public data only', () => {
	it('/hsds/services: every page valid, every listed id answers /hsds/services/{id} with a valid nested service', async () => {
		const walked = await walk('/hsds/services', '/services', 50);
		expect(walked.length).toBeGreaterThan(50);
		expect(walked).toEqual(services);
		const publicServices = new Set((await Promise.all(features.filter((f) => !f.properties.demo).map((f) => get(`/api/resources/${f.id}`)))).map((r) => r.body.properties.services[0].id));
		expect(new Set(services.map((s) => s.id))).toEqual(publicServices);
		const names = services.map((s) => s.name);
		expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
		await inBatches(services, async (service) => {
			expect(service).not.toHaveProperty('x_demo');
			const full = await ok(`/hsds/services/${service.id}`, '/services/{id}');
			expect(full).toMatchObject({ id: service.id, name: service.name, organization: { id: service.organization_id } });
			expect(full.service_at_locations.length).toBeGreaterThan(0);
			expect(full.attributes.some((a: { link_type: string }) => a.link_type === 'category')).toBe(true);
		});
	}, 180_000);

	it('/hsds/organizations and /hsds/organizations/{id}', async () => {
		const organizations = await walk('/hsds/organizations', '/organizations', 40);
		expect(new Set(organizations.map((o) => o.id))).toEqual(new Set(services.map((s) => s.organization_id)));
		await inBatches(organizations, async (organization) => {
			const full = await ok(`/hsds/organizations/${organization.id}`, '/organizations/{id}');
			expect(full.services.length).toBeGreaterThan(0);
			expect(full.services.every((s: { organization_id: string }) => s.organization_id === organization.id)).toBe(true);
		});
		const missing = await get('/hsds/organizations/00000000-0000-4000-8000-000000000000');
		expect(missing.status).toBe(404);
		expect(missing.body.error).toMatch(/No organization/);
	}, 180_000);

	it('/hsds/service_at_locations lists exactly the public pins that are not demo', async () => {
		const pins = await walk('/hsds/service_at_locations', '/service_at_locations', 60);
		expect(new Set(pins.map((p) => p.id))).toEqual(new Set(features.filter((f) => !f.properties.demo).map((f) => f.id)));
	});

	it('/hsds/taxonomies and /hsds/taxonomy_terms: the three taxonomies and their 31 terms', async () => {
		const taxonomies = await walk('/hsds/taxonomies', '/taxonomies', 2);
		expect(taxonomies).toHaveLength(3);
		const terms = await walk('/hsds/taxonomy_terms', '/taxonomy_terms', 10);
		expect(terms).toHaveLength(7 + 16 + 8);
		const needs = taxonomies.find((t) => t.name.startsWith('Bisogni'))!;
		const needTerms = await ok(`/hsds/taxonomy_terms?taxonomy_id=${needs.id}&per_page=100`, '/taxonomy_terms');
		expect(needTerms.contents.map((t: { code: string }) => t.code)).toContain('food');
		expect(needTerms.total_items).toBe(16);
	});

	it('demo records only when asked, marked x_demo; a confidential place only as its rione', async () => {
		const withDemo = await walk('/hsds/service_at_locations?include_demo=true', '/service_at_locations', 100);
		expect(new Set(withDemo.map((p) => p.id))).toEqual(new Set(features.map((f) => f.id)));
		const confidential = features.filter((f) => f.properties.approximate);
		expect(confidential.length).toBeGreaterThan(0);
		for (const feature of confidential) {
			const pin = withDemo.find((p) => p.id === feature.id)!;
			expect(pin.location).toMatchObject({ x_approximate: true, longitude: feature.geometry.coordinates[0], latitude: feature.geometry.coordinates[1] });
			expect(pin.location).not.toHaveProperty('name');
			expect(pin.location).not.toHaveProperty('addresses');
			const demoService = await get(`/hsds/services/${pin.service_id}`);
			expect(demoService.status).toBe(404);
			const full = await ok(`/hsds/services/${pin.service_id}?include_demo=true`, '/services/{id}');
			expect(full.x_demo).toBe(true);
			const place = full.service_at_locations.find((p: { id: string }) => p.id === pin.id).location;
			expect(place).not.toHaveProperty('addresses');
			expect(place).not.toHaveProperty('name');
		}
		const demoServices = await ok('/hsds/services?include_demo=true&per_page=500', '/services');
		expect(demoServices.total_items).toBeGreaterThan(services.length);
	}, 120_000);

	it('schedules: weekly rows from the opening hours, which stay whole in x_opening_hours', async () => {
		const withHours = features.filter((f) => f.properties.demo).slice(0, 40);
		let weekly = 0;
		for (const feature of withHours) {
			const detail = (await get(`/api/resources/${feature.id}`)).body.properties;
			if (!detail.opening_hours) continue;
			const service = await ok(`/hsds/services/${detail.services[0].id}?include_demo=true`, '/services/{id}');
			const pin = service.service_at_locations.find((p: { id: string }) => p.id === feature.id);
			expect(pin.schedules.length).toBeGreaterThan(0);
			for (const schedule of pin.schedules) {
				expect(schedule).toMatchObject({ x_opening_hours: detail.opening_hours, service_at_location_id: feature.id });
				if (schedule.freq) {
					weekly++;
					expect(schedule.byday).toMatch(/^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$/);
					expect(detail.opening_hours).toContain(`${schedule.opens_at}-${schedule.closes_at}`);
				}
			}
		}
		expect(weekly).toBeGreaterThan(0);
	}, 120_000);
});

describe('HSDS filters', () => {
	it('proximity=LAT,LON,KM: the public pins within that distance, nearest first, as /api/resources finds them', async () => {
		const [lon, lat] = [9.3905, 45.8555];
		const page = await ok(`/hsds/service_at_locations?proximity=${lat},${lon},1.5&per_page=500`, '/service_at_locations');
		const near = (await get(`/api/resources?near=${lon},${lat}&radius=1500&limit=5000`)).body.features as ResourceFeature[];
		const expected = near.filter((f) => !f.properties.demo);
		expect(page.total_items).toBe(expected.length);
		expect(page.contents.map((p: { id: string }) => p.id)).toEqual(expected.map((f) => f.id));
		const distances = page.contents.map((p: { x_distance_m: number }) => p.x_distance_m);
		expect(distances).toEqual([...distances].sort((a, b) => a - b));
		expect(Math.max(...distances)).toBeLessThanOrEqual(1500);
	});

	it('taxonomy_term_id, search, organization_id and modified_after narrow the services', async () => {
		const terms = (await get('/hsds/taxonomy_terms?per_page=100')).body.contents as { id: string; code: string; taxonomy: string }[];
		// The need most public (not demo) pins offer, and the rarest one that some offer.
		const publicPins = features.filter((f) => !f.properties.demo);
		const byCount = terms
			.filter((t) => t.taxonomy === 'need')
			.map((t) => ({ term: t, pins: publicPins.filter((f) => f.properties.needs.includes(t.code)).length }))
			.filter((entry) => entry.pins > 0)
			.sort((a, b) => a.pins - b.pins);
		const food = byCount[0]!.term;
		const foodServices = await ok(`/hsds/services?taxonomy_term_id=${food.id}&per_page=500`, '/services');
		const foodPins = publicPins.filter((f) => f.properties.needs.includes(food.code));
		expect(foodServices.total_items).toBeGreaterThan(0);
		expect(foodServices.total_items).toBeLessThan(services.length);
		const foodServiceIds = new Set(
			(await Promise.all(foodPins.map((f) => get(`/api/resources/${f.id}`)))).map((r) => r.body.properties.services[0].id as string)
		);
		expect(new Set(foodServices.contents.map((s: { id: string }) => s.id))).toEqual(foodServiceIds);
		const unknownTerm = await ok('/hsds/services?taxonomy_term_id=00000000-0000-4000-8000-000000000000', '/services');
		expect(unknownTerm).toMatchObject({ total_items: 0, empty: true });

		const one = services[3]!;
		const searched = await ok(`/hsds/services?search=${encodeURIComponent(one.name.toUpperCase())}`, '/services');
		expect(searched.contents.map((s: { id: string }) => s.id)).toContain(one.id);
		expect(searched.total_items).toBeLessThan(services.length);

		const ofOrganization = await ok(`/hsds/services?organization_id=${one.organization_id}`, '/services');
		expect(ofOrganization.contents.every((s: { organization_id: string }) => s.organization_id === one.organization_id)).toBe(true);

		const latest = services.map((s) => s.last_modified as string).sort().at(-1)!;
		const after = new Date(new Date(latest).getTime() + 1000).toISOString();
		expect(await ok(`/hsds/services?modified_after=${after}`, '/services')).toMatchObject({ total_items: 0, empty: true });
		const before = new Date(new Date(latest).getTime() - 1).toISOString();
		const recent = await ok(`/hsds/services?modified_after=${encodeURIComponent(before)}`, '/services');
		expect(recent.contents.map((s: { id: string }) => s.id)).toContain(services.find((s) => s.last_modified === latest)!.id);
		expect((await ok('/hsds/services?modified_after=2000-01-01', '/services')).total_items).toBe(services.length);
	}, 120_000);

	it('refuses malformed parameters with a 400 that says what is wrong', async () => {
		for (const [query, message] of [
			['/hsds/services?page=0', /page/],
			['/hsds/services?per_page=501', /per_page/],
			['/hsds/services?taxonomy_term_id=food', /taxonomy_term_id/],
			['/hsds/services?modified_after=yesterday', /modified_after/],
			['/hsds/services?postcode=23900', /postcode/],
			['/hsds/services?format=ndjson', /format/],
			['/hsds/service_at_locations?proximity=45.85,9.39', /proximity/],
			['/hsds/service_at_locations?proximity=45.85,9.39,500', /proximity/],
			['/hsds/organizations?organization_id=x', /organization_id/],
			['/hsds/services?include_demo=maybe', /include_demo/]
		] as const) {
			const answer = await get(query);
			expect(answer.status, query).toBe(400);
			expect(answer.body.error, query).toMatch(message);
		}
		const notUuid = await get('/hsds/services/not-an-id');
		expect(notUuid.status).toBe(404);
		expect(notUuid.body.error).toMatch(/No public service/);
	});

	it('answers any origin, with an ETag that gives 304', async () => {
		const response = await fetch(`${base}/hsds/services?per_page=5`, { headers: { origin: 'https://example.org' } });
		expect(response.headers.get('access-control-allow-origin')).toBe('*');
		expect(response.headers.get('cache-control')).toBe('public, max-age=60');
		const etag = response.headers.get('etag')!;
		expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
		expect((await fetch(`${base}/hsds/services?per_page=5`, { headers: { 'if-none-match': etag } })).status).toBe(304);
	});
});

describe('exports', () => {
	it('/hsds/datapackage.zip: every HSDS table as CSV, described by datapackage.json, with the attribution', async () => {
		const response = await fetch(`${base}/hsds/datapackage.zip`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/zip');
		expect(response.headers.get('content-disposition')).toMatch(/attachment/);
		const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
		const descriptor = JSON.parse(strFromU8(files['datapackage.json']!));
		const pinned = JSON.parse(fs.readFileSync('src/lib/server/hsds/spec/datapackage.json', 'utf8'));
		expect(descriptor.profile).toBe('tabular-data-package');
		expect(descriptor.resources.map((r: { name: string }) => r.name)).toEqual(pinned.resources.map((r: { name: string }) => r.name));
		const csvOf = (name: string) => {
			const resource = descriptor.resources.find((r: { name: string }) => r.name === name);
			const text = strFromU8(files[resource.path]!);
			const [header, ...rows] = text.trimEnd().split('\r\n');
			expect(header!.split(',')).toEqual(resource.schema.fields.map((f: { name: string }) => f.name));
			return { header: header!.split(','), rows };
		};
		for (const resource of descriptor.resources) csvOf(resource.name);
		expect(csvOf('service').rows).toHaveLength(services.length);
		expect(csvOf('service_at_location').rows).toHaveLength(features.filter((f) => !f.properties.demo).length);
		expect(csvOf('taxonomy_term').rows).toHaveLength(31);
		const pinnedService = pinned.resources.find((r: { name: string }) => r.name === 'service').schema.fields.map((f: { name: string }) => f.name);
		expect(csvOf('service').header.slice(0, pinnedService.length)).toEqual(pinnedService);

		const attributions = new Set(
			(await Promise.all(services.slice(0, 60).map((s) => get(`/hsds/services/${s.id}`)))).map((r) => r.body.x_source.attribution as string)
		);
		const readme = strFromU8(files['README.txt']!);
		for (const attribution of attributions) {
			expect(readme).toContain(attribution);
			expect(descriptor.sources.map((s: { attribution: string }) => s.attribution)).toContain(attribution);
		}
		// No demo record and no confidential place's name or address in the package.
		expect(strFromU8(files['organizations.csv']!)).not.toMatch(/\(esempio\)/);
	}, 120_000);

	it('/api/export/directory.geojson: every public resource, with the sources', async () => {
		const response = await fetch(`${base}/api/export/directory.geojson`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/geo+json; charset=utf-8');
		const body = await response.json();
		expect(body.type).toBe('FeatureCollection');
		expect(new Set(body.features.map((f: { id: string }) => f.id))).toEqual(new Set(features.filter((f) => !f.properties.demo).map((f) => f.id)));
		expect(body.attribution.length).toBeGreaterThan(0);
		expect(body.sources.every((s: { licence: string; attribution: string }) => s.licence && s.attribution)).toBe(true);
		const all = await (await fetch(`${base}/api/export/directory.geojson?include_demo=true`)).json();
		expect(all.features).toHaveLength(features.length);
	});

	it('are linked from /fonti', async () => {
		const html = await (await fetch(`${base}/fonti`)).text();
		expect(html).toContain('href="/hsds/datapackage.zip"');
		expect(html).toContain('href="/api/export/directory.geojson"');
		expect(html).toContain('href="/hsds/"');
	});
});
