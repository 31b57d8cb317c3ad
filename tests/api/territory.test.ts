import { describe, expect, inject, it } from 'vitest';
import { sessionOf } from './session';

// The administrators' territory pages over HTTP: who may open them, the residents form, and the
// boundary import's two steps (the preview writes nothing; the confirm step needs the same file).
const base = inject('baseUrl');
const origin = new URL(base).origin;

const get = async (path: string, cookie?: string) => {
	const response = await fetch(base + path, { redirect: 'manual', headers: cookie ? { cookie } : {} });
	return { status: response.status, location: response.headers.get('location'), html: await response.text() };
};
const post = async (path: string, body: FormData | URLSearchParams, cookie?: string) => {
	const response = await fetch(base + path, { method: 'POST', redirect: 'manual', body, headers: { origin, accept: 'text/html', ...(cookie ? { cookie } : {}) } });
	return { status: response.status, html: await response.text() };
};
const romeDay = (offsetDays = 0) =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + offsetDays * 86_400_000));
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? '';

describe('the territory pages', () => {
	it('are for administrators only: sign-in for anonymous people, 403 for other roles', async () => {
		for (const page of ['/admin/popolazione', '/admin/rioni']) {
			const anonymous = await get(page);
			expect(anonymous.status, page).toBe(303);
			expect(anonymous.location).toMatch(/^\/login/);
			for (const role of ['planner', 'worker', 'partnerA'] as const) expect((await get(page, await sessionOf(role))).status, `${page} as ${role}`).toBe(403);
			expect((await get(page, await sessionOf('admin'))).status).toBe(200);
		}
		const form = new FormData();
		form.set('file', new Blob(['{}'], { type: 'application/geo+json' }), 'rioni.geojson');
		expect((await post('/admin/rioni?/preview', form, await sessionOf('planner'))).status).toBe(403);
		expect((await post('/admin/popolazione?/enter', new URLSearchParams({ rione: 'Olate', residents: '1' }), await sessionOf('worker'))).status).toBe(403);
		const admin = await get('/admin', await sessionOf('admin'));
		expect(admin.html).toContain('href="/admin/popolazione"');
		expect(admin.html).toContain('href="/admin/rioni"');
	});

	it('lists each rione with its figure, adds a newer one, and says what is wrong with a bad one', async () => {
		const admin = await sessionOf('admin');
		const page = await get('/admin/popolazione', admin);
		expect(page.html).toContain('Comune di Lecco');
		expect(page.html).toMatch(/Malnago[\s\S]*?Nessun dato/);
		const note = `Anagrafe API ${Date.now()}`;
		const saved = await post('/admin/popolazione?/enter', new URLSearchParams({ rione: 'Rancio', residents: '2.222', reference_date: romeDay(-1), source_note: note }), admin);
		expect(saved.status).toBe(200);
		expect(saved.html).toContain('Dato di Rancio aggiunto allo storico.');
		expect((await get('/admin/popolazione', admin)).html).toContain(note);
		const refused = await post('/admin/popolazione?/enter', new URLSearchParams({ rione: 'Rancio', residents: 'molti', reference_date: romeDay(3), source_note: note }), admin);
		expect(refused.status).toBe(400);
		expect(refused.html).toContain('Scrivi un numero intero da 0 a 1.000.000.');
		expect(refused.html).toContain('La data di riferimento non può essere nel futuro.');
	});

	it('previews a boundary file without writing, and applies only the same file', async () => {
		const admin = await sessionOf('admin');
		const current = await (await fetch(`${base}/api/neighbourhoods`)).json();
		const rioni = { type: 'FeatureCollection', features: current.features.map((f: { properties: { name: string }; geometry: unknown }) => ({ type: 'Feature', properties: { name: f.properties.name }, geometry: f.geometry })) };
		const withoutMalnago = { ...rioni, features: rioni.features.filter((f: { properties: { name: string } }) => f.properties.name !== 'Malnago') };
		const upload = (data: unknown, extra: Record<string, string> = {}) => {
			const form = new FormData();
			form.set('file', new Blob([JSON.stringify(data)], { type: 'application/geo+json' }), 'rioni.geojson');
			for (const [k, v] of Object.entries(extra)) form.set(k, v);
			return form;
		};

		const preview = await post('/admin/rioni?/preview', upload(withoutMalnago), admin);
		expect(preview.status).toBe(200);
		expect(preview.html).toContain('Anteprima: non è stato ancora salvato nulla.');
		expect(preview.html).toMatch(/1 rione tolto<\/dt>\s*<dd lang="it">Malnago<\/dd>/);
		const after = await (await fetch(`${base}/api/neighbourhoods`)).json();
		expect(after.features.map((f: { properties: { name: string } }) => f.properties.name)).toContain('Malnago');

		// The file as it is now: every rione unchanged, so applying it moves nothing for the other tests.
		const same = await post('/admin/rioni?/preview', upload(rioni), admin);
		const digest = hidden(same.html, 'digest');
		const basis = hidden(same.html, 'basis');
		expect(digest).toMatch(/^[0-9a-f]{64}$/);
		const source = { digest, basis, source_name: 'Comune di Lecco, SIT', licence: 'CC BY 4.0' };
		const other = await post('/admin/rioni?/apply', upload(withoutMalnago, source), admin);
		expect(other.status).toBe(400);
		expect(other.html).toContain("Il file inviato non è quello dell'anteprima");
		const applied = await post('/admin/rioni?/apply', upload(rioni, source), admin);
		expect(applied.status).toBe(200);
		expect(applied.html).toContain('Confini sostituiti: 0 nuovi, 0 cambiati, 0 tolti');

		const bad = await post('/admin/rioni?/preview', upload({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: null }] }), admin);
		expect(bad.status).toBe(400);
		expect(bad.html).toContain('L\'elemento 1 non ha la proprietà «name».');
	});
});
