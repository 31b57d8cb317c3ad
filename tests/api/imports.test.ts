import { describe, expect, inject, it } from 'vitest';
import { mapRows, mappingFor } from '../../src/lib/domain/imports';
import { readImportFile } from '../../src/lib/server/imports/files';
import { sessionOf } from './session';
import { hsdsFixture } from '../setup/hsds-fixture';
import { BAD_ROWS, ROWS, fixtureRows, toCsv } from '../setup/import-fixture';

// The import page over HTTP (issue 15): administrators only; reading a file writes nothing and
// reports the bad rows; a commit with a bad row is refused whole; the fixed rows commit and the
// public API shows them with their source.
const base = inject('baseUrl');
const origin = new URL(base).origin;
const run = Date.now().toString(36);
const prefix = `Api${run}`;

const get = async (path: string, cookie?: string) => {
	const response = await fetch(base + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });
	return { status: response.status, location: response.headers.get('location'), html: await response.text() };
};
const post = async (path: string, body: FormData, cookie?: string) => {
	const response = await fetch(base + path, { method: 'POST', redirect: 'manual', body, headers: { origin, accept: 'text/html', ...(cookie ? { cookie } : {}) } });
	return { status: response.status, html: await response.text() };
};
const source = { source_id: `api-albo-${run}`, source_name: `Albo API ${run} — associazioni`, licence: 'CC BY 4.0', url: '' };
const fields = (values: Record<string, string>) => {
	const form = new FormData();
	for (const [key, value] of Object.entries(values)) form.set(key, value);
	return form;
};
const count = async () => ((await (await fetch(`${base}/api/resources?q=${encodeURIComponent(prefix)}&limit=500`)).json()) as { features: unknown[] }).features.length;

/** The fixture's rows as the preview sends them back (the mapping the page guesses from its headers). */
function rows(fix: boolean) {
	return fixtureRows(prefix).map((r, i) => ({
		ref: r.id,
		name: r.nome,
		kind: fix && i + 1 === BAD_ROWS.category ? 'partner' : r.categoria,
		description: r.descrizione,
		email: fix && i + 1 === BAD_ROWS.email ? 'info7@associazione.example.org' : r.email,
		website: r.sito,
		phone: r.telefono,
		address: r.indirizzo,
		postal_code: r.cap,
		city: r.comune,
		lat: fix && i + 1 === BAD_ROWS.outside ? '45.8560' : r.lat,
		lon: fix && i + 1 === BAD_ROWS.outside ? '9.3930' : r.lon,
		needs: r.bisogni,
		opening_hours: r.orari
	}));
}
const MAPPING = { ref: 'id', name: 'nome', kind: 'categoria', description: 'descrizione', email: 'email', website: 'sito', phone: 'telefono', address: 'indirizzo', postal_code: 'cap', city: 'comune', lat: 'lat', lon: 'lon', needs: 'bisogni', opening_hours: 'orari' };
const payload = (fix: boolean) => fields({ ...source, format: 'csv', file_name: 'associazioni.csv', mapping: JSON.stringify(MAPPING), rows: JSON.stringify(rows(fix)) });

describe('the import page', () => {
	it('is for administrators only', async () => {
		const anonymous = await get('/admin/import');
		expect(anonymous.status).toBe(303);
		expect(anonymous.location).toMatch(/^\/login/);
		for (const role of ['planner', 'worker', 'partnerA'] as const) expect((await get('/admin/import', await sessionOf(role))).status, role).toBe(403);
		expect((await post('/admin/import?/commit', payload(true), await sessionOf('planner'))).status).toBe(403);
		expect(await count()).toBe(0);
		const admin = await get('/admin', await sessionOf('admin'));
		expect(admin.html).toContain('href="/admin/import"');
	});

	it('reads a file and reports its bad rows without writing, refuses a commit with one, commits the fixed rows', async () => {
		const admin = await sessionOf('admin');
		const upload = fields(source);
		upload.set('file', new Blob([toCsv(fixtureRows(prefix))], { type: 'text/csv' }), 'associazioni.csv');
		const read = await post('/admin/import?/read', upload, admin);
		expect(read.status).toBe(200);
		expect(read.html).toContain('Anteprima: non è stato ancora salvato nulla.');
		expect(read.html).toContain('50 righe, 3 con problemi.');
		expect(read.html).toContain(`Email, riga ${BAD_ROWS.email}`);

		const refusedSource = fields({ ...source, source_id: 'geonames' });
		refusedSource.set('file', new Blob([toCsv(fixtureRows(prefix))], { type: 'text/csv' }), 'associazioni.csv');
		expect((await post('/admin/import?/read', refusedSource, admin)).status).toBe(400);
		const noFile = await post('/admin/import?/read', fields(source), admin);
		expect(noFile.status).toBe(400);
		expect(noFile.html).toContain('Scegli un file da importare.');

		const refused = await post('/admin/import?/commit', payload(false), admin);
		expect(refused.status).toBe(400);
		expect(await count()).toBe(0);

		const done = await post('/admin/import?/commit', payload(true), admin);
		expect(done.status).toBe(200);
		expect(done.html).toContain(`Importazione completata: ${ROWS} righe, ${ROWS} nuove, 0 già presenti`);
		expect(await count()).toBe(ROWS);
		const detail = (await (await fetch(`${base}/api/resources?q=${encodeURIComponent(`${prefix} Associazione 12`)}`)).json()) as { features: { id: string; properties: { name: string } }[] };
		const one = detail.features.find((f) => f.properties.name === `${prefix} Associazione 12`)!;
		const page = await get(`/risorse/${one.id}`);
		expect(page.html).toMatch(new RegExp(`Fonte: Albo API ${run}, dati del`));

		// Again: nothing new, every record unchanged; a malformed payload is a 400, never a 500.
		const again = await post('/admin/import?/commit', payload(true), admin);
		expect(again.html).toContain(`${ROWS} già presenti (${ROWS} invariate)`);
		expect((await post('/admin/import?/commit', fields({ ...source, format: 'csv', rows: '[{"ref": 1}]', mapping: '{}' }), admin)).status).toBe(400);
		expect((await get('/admin/import', admin)).html).toContain(`Albo API ${run}`);
	});

	it('reads an HSDS data package one row per service at a place, and commits its organisation whole with the package\'s credits', async () => {
		const admin = await sessionOf('admin');
		const zip = hsdsFixture(`h${run}`);
		const hsdsSource = { source_id: `api-hsds-${run}`, source_name: `Pacchetto HSDS API ${run}`, licence: 'CC BY 4.0', url: '' };
		const upload = fields(hsdsSource);
		upload.set('file', new Blob([zip], { type: 'application/zip' }), 'due-sedi.zip');
		const read = await post('/admin/import?/read', upload, admin);
		expect(read.status).toBe(200);
		expect(read.html).toContain('2 righe, 1 con problemi.');
		expect(read.html).toContain('Altre voci di tassonomia, riga 2');

		// The preview's rows as the page sends them back, the unknown term cleared by the administrator.
		const table = readImportFile('due-sedi.zip', zip);
		const mapping = mappingFor(table.columns, null);
		const sent = mapRows(table.records, mapping).map((row) => ({ ...row, terms: '' }));
		const commit = fields({ ...hsdsSource, format: 'hsds', file_name: 'due-sedi.zip', credits: table.credits ?? '', mapping: JSON.stringify(mapping), rows: JSON.stringify(sent) });
		const done = await post('/admin/import?/commit', commit, admin);
		expect(done.status).toBe(200);
		expect(done.html).toContain('Importazione completata: 2 righe in 1 organizzazione, 1 nuove, 0 già presenti');
		// Both places on the map, the schedule converted, the package's credits with the records.
		const found = (await (await fetch(`${base}/api/resources?q=${encodeURIComponent(`Associazione Due Sedi h${run}`)}&limit=10`)).json()) as { features: unknown[] };
		expect(found.features).toHaveLength(2);
		const services = (await (await fetch(`${base}/hsds/services?search=${encodeURIComponent('Spesa solidale')}&per_page=500`)).json()) as { contents: { id: string; x_source?: { id: string; attribution: string } }[] };
		const ours = services.contents.find((s) => s.x_source?.id === hsdsSource.source_id)!;
		expect(ours.x_source!.attribution).toBe('Associazione Due Sedi, Lecco, CC BY 4.0');
		const nested = (await (await fetch(`${base}/hsds/services/${ours.id}`)).json()) as { service_at_locations: { schedules: { x_opening_hours: string }[] }[] };
		expect(nested.service_at_locations[0]!.schedules[0]!.x_opening_hours).toBe('Mo 09:00-12:00,15:00-17:00; We,Fr 09:00-12:00');
	});
});
