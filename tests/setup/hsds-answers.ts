import * as api from '../../src/lib/server/hsds/api';
import * as db from '../../src/lib/server/db/hsds';

/**
 * What a store's HSDS API answers (src/lib/server/hsds/api.ts, which the /hsds routes return as
 * they are), the demo set left out as the export leaves it: every service fully nested (with its
 * organisation, phones, places, schedules, rioni, capacity and terms), every organisation with its
 * places and services, every service at a location, the taxonomies and their terms. Made
 * comparable across stores: ids the store generates (`id`, `…_id`), timestamps and the verification
 * date, `x_source` (an import credits its own source) dropped, and lists in a fixed order.
 */
export async function hsdsAnswers() {
	const query = (params: Record<string, string>) => new URLSearchParams(params);
	const ids = await db.publicServiceIds({ excludeDemo: true });
	const services = await api.nestedServices(ids, { excludeDemo: true });
	const all = async <T>(page: (n: number) => Promise<{ contents: T[]; last_page: boolean }>) => {
		const out: T[] = [];
		for (let n = 1; ; n++) {
			const answer = await page(n);
			out.push(...answer.contents);
			if (answer.last_page || answer.contents.length === 0) return out;
		}
	};
	const organizationList = await all((n) => api.organizationPage(query({ page: String(n), per_page: '500' })));
	const organizations = [];
	for (const org of organizationList) organizations.push(await api.organization(org.id, query({})));
	const pins = await all((n) => api.serviceAtLocationPage(query({ page: String(n), per_page: '500' })));
	const taxonomies = api.taxonomyPage(query({ per_page: '500' })).contents;
	const terms = api.taxonomyTermPage(query({ per_page: '500' })).contents;
	return comparable({ services, organizations, pins, taxonomies, terms }) as {
		services: unknown[];
		organizations: unknown[];
		pins: unknown[];
		taxonomies: unknown[];
		terms: unknown[];
	};
}

const DROPPED = new Set(['id', 'last_modified', 'x_last_modified', 'assured_date', 'x_verified_at', 'x_source', 'updated', 'x_distance_m']);

function comparable(value: unknown): unknown {
	if (Array.isArray(value)) {
		return value
			.map(comparable)
			.map((item) => [JSON.stringify(item), item] as const)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
			.map(([, item]) => item);
	}
	if (value && typeof value === 'object' && !(value instanceof Date)) {
		return Object.fromEntries(
			Object.entries(value)
				.filter(([key]) => !DROPPED.has(key) && !key.endsWith('_id'))
				.sort(([a], [b]) => (a < b ? -1 : 1))
				.map(([key, item]) => [key, comparable(item)])
		);
	}
	return value;
}
