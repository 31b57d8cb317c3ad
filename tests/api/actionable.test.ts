import { beforeAll, describe, expect, inject, it } from 'vitest';
import { HELP_LINES } from '../../src/lib/domain/help-lines';
import { isAfterHours } from '../../src/lib/domain/week-table';

// Issue 14, items 2 and 3, in the server-rendered pages: results a person can act on (organisation,
// address, a tel: link, the next change of state, the nearest stop), "Come arrivare" on a resource
// page, the help lines, and the services open now first after hours. The clock is the run's
// (TEST_CLOCK moves it for the app and this file alike).
const base = inject('baseUrl');

interface Props {
	id: string;
	name: string;
	address: string | null;
	phone: string | null;
	organization_name: string;
	approximate: boolean;
	open_now: boolean | null;
	neighbourhood: string | null;
	next_change: { open: boolean } | null;
}

async function html(path: string): Promise<string> {
	const response = await fetch(base + path, { headers: { accept: 'text/html', 'accept-language': 'it' } });
	expect(response.status).toBe(200);
	return response.text();
}

/** The visible text of an HTML fragment, entities decoded, spaces collapsed. */
function text(fragment: string): string {
	return fragment
		.replace(/<[^>]*>/g, ' ')
		.replaceAll('&#39;', "'")
		.replaceAll('&quot;', '"')
		.replaceAll('&amp;', '&')
		.replace(/\s+/g, ' ')
		.trim();
}

/** The `<li …>…</li>` of each list entry whose opening tag matches `open`, in page order. */
function items(page: string, open: RegExp): { tag: string; body: string }[] {
	const found: { tag: string; body: string }[] = [];
	for (const match of page.matchAll(new RegExp(open.source, 'g'))) {
		// Entries hold no nested <li>: the first closing tag after the opening one ends it.
		found.push({ tag: match[0], body: page.slice(match.index!, page.indexOf('</li>', match.index!)) });
	}
	return found;
}

const NEXT = /Chiude (alle|domani alle|\p{L}+ alle) \d\d:\d\d|Riapre (oggi|domani|\p{L}+( \d+ \p{L}+)?) alle \d\d:\d\d|Fino (alle|a) |Aperto senza pause/u;

/** The notice that the list puts those open now first (the words themselves travel in every page's messages). */
const OPEN_FIRST = /<p class="[^"]*open-first[^"]*">[^<]*prima i servizi aperti ora/;

function expectHelpLines(page: string) {
	const start = page.indexOf('data-help-lines');
	const block = page.slice(start, page.indexOf('</section>', start));
	expect(block).toContain('Aiuto subito');
	// Each line's label is a message: a missing one would show its key.
	expect(block).not.toContain('helpLines.line');
	for (const line of HELP_LINES) {
		expect(block).toContain(`href="tel:${line.number}"`);
		expect(block).toMatch(new RegExp(`href="tel:${line.number}"[^>]*><strong>${line.number}</strong> \\p{L}`, 'u'));
		expect(block).toContain(line.source.url);
	}
}

let all: Props[];
beforeAll(async () => {
	const response = await fetch(base + '/api/resources?limit=5000');
	all = ((await response.json()) as { features: { properties: Props }[] }).features.map((f) => f.properties);
});

describe('the public list', () => {
	it('gives each entry its organisation, address, a tel: link and the next change, and the API the same facts', async () => {
		expect(all.length).toBeGreaterThan(200);
		for (const p of all) expect(Object.keys(p)).toEqual(expect.arrayContaining(['organization_name', 'phone', 'next_change']));
		// Every entry (the list shows its first page, `shown` asks for more).
		const page = await html('/?shown=5000');
		expectHelpLines(page);
		const entries = items(page, /<li id="resource-([0-9a-f-]{36})"[^>]*>/);
		expect(entries.length).toBe(all.length);
		const ready = all.filter((p) => p.address && p.phone && p.next_change && !p.approximate);
		expect(ready.length).toBeGreaterThan(10);
		for (const p of ready.slice(0, 25)) {
			const entry = entries.find((e) => e.tag.includes(p.id))!;
			expect(text(entry.body), p.name).toContain(p.address!);
			expect(entry.body).toContain(`href="tel:${p.phone!.replace(/[^\d+]/g, '')}"`);
			expect(text(entry.body), p.name).toMatch(NEXT);
			if (p.organization_name !== p.name) expect(text(entry.body)).toContain(p.organization_name);
		}
		// A confidential place shows its rione, never an address.
		const secret = all.find((p) => p.approximate)!;
		expect(secret.address).toBeNull();
	});

	it('after 20:00, at weekends and on holidays puts the services open now first, and says so; otherwise keeps name order', async () => {
		const page = await html('/?shown=5000');
		const order = items(page, /<li id="resource-([0-9a-f-]{36})"[^>]*>/).map((e) => e.tag.match(/resource-([0-9a-f-]{36})/)![1]!);
		const open = new Map(all.map((p) => [p.id, p.open_now === true]));
		const firstClosed = order.findIndex((id) => !open.get(id));
		const openAfterClosed = order.slice(firstClosed).some((id) => open.get(id));
		if (isAfterHours()) {
			expect(openAfterClosed).toBe(false);
			expect(page).toMatch(OPEN_FIRST);
		} else {
			expect(order).toEqual(all.map((p) => p.id));
			expect(page).not.toMatch(OPEN_FIRST);
		}
	});
});

describe('"Trova aiuto"', () => {
	it('shows for the nearest help for food its address, phone, next opening and nearest bus stop', async () => {
		const page = await html('/trova-aiuto?needs=food&at=9.38878,45.85585&place=Piazza%20Cermenati');
		expectHelpLines(page);
		const results = items(page, /<li[^>]*data-id="([0-9a-f-]{36})"[^>]*>/);
		expect(results.length).toBeGreaterThan(0);
		let complete = 0;
		for (const result of results) {
			const id = result.tag.match(/data-id="([0-9a-f-]{36})"/)![1]!;
			const p = all.find((r) => r.id === id)!;
			const words = text(result.body);
			if (p.address) expect(words).toContain(p.address);
			if (p.phone) expect(result.body).toContain(`href="tel:${p.phone.replace(/[^\d+]/g, '')}"`);
			if (p.next_change) expect(words).toMatch(NEXT);
			if (p.approximate) expect(words).not.toMatch(/Fermata|Stazione/);
			const stop = /(Fermata|Stazione) [^:]+: circa \d+ min a piedi/.test(words);
			if (p.address && p.phone && p.next_change && stop) complete++;
		}
		expect(complete).toBeGreaterThan(0);
		// After hours, within each need, those open now (and not full) come first.
		if (isAfterHours()) {
			const open = results.map((r) => r.tag.includes('data-open="true"') && !r.tag.includes('data-accepting="false"'));
			expect(open.slice(open.indexOf(false)).includes(true)).toBe(false);
			expect(page).toMatch(OPEN_FIRST);
		} else {
			expect(page).not.toMatch(OPEN_FIRST);
		}
	});
});

describe('a resource page', () => {
	it('puts the phone and address before the week table and says how to get there: a geo: link and the nearest stops', async () => {
		const p = all.find((r) => r.address && r.phone && !r.approximate && /Nicol[oò]/.test(r.name)) ?? all.find((r) => r.address && r.phone && !r.approximate)!;
		const detail = (await (await fetch(`${base}/api/resources/${p.id}`)).json()) as { geometry: { coordinates: number[] } };
		const [lon, lat] = detail.geometry.coordinates as [number, number];
		const page = await html(`/risorse/${p.id}`);
		expectHelpLines(page);
		expect(page).toContain(`href="geo:${lat},${lon}?q=${lat},${lon}"`);
		expect(page).toContain('Come arrivare');
		expect(text(page)).toMatch(/(Fermata|Stazione) [^:]+: circa \d+ min a piedi/);
		// Directions from elsewhere only where the deployment is online.
		expect(page.includes('openstreetmap.org/directions')).toBe(Boolean(process.env.PUBLIC_BASEMAP_STYLE_URL));
		const table = page.indexOf('id="hours-heading"');
		expect(table).toBeGreaterThan(0);
		expect(page.indexOf('href="tel:', page.indexOf('id="contacts-heading"'))).toBeLessThan(table);
		expect(page.indexOf(p.address!.split(',')[0]!, page.indexOf('id="place-heading"'))).toBeLessThan(table);
	});

	it('gives a confidential place no geo: link and no stops, only its rione', async () => {
		const secret = all.find((r) => r.approximate)!;
		const page = await html(`/risorse/${secret.id}`);
		expect(page).not.toContain('href="geo:');
		expect(page).not.toContain('class="stops');
		expect(text(page)).not.toMatch(/(Fermata|Stazione) [^:]+: circa \d+ min a piedi/);
		expect(text(page)).toContain("L'indirizzo è riservato: per sapere come arrivare, telefonate.");
	});
});
