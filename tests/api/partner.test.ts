import { beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_ACCOUNTS } from '../setup/accounts';
import { romeDate as romeDay } from '../setup/clock';

// Partner self-service over HTTP as a browser without JavaScript uses it: plain form posts
// (Accept: text/html), redirects after success, the page again with messages and values on error.
const base = inject('baseUrl');

interface Session {
	cookie: string;
}

async function login(email: string, language = 'it'): Promise<Session> {
	const response = await fetch(`${base}/login`, {
		method: 'POST',
		headers: { origin: base, accept: 'text/html', 'accept-language': language, 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password: TEST_ACCOUNTS.password }),
		redirect: 'manual'
	});
	expect(response.status).toBe(303);
	const cookie = response.headers
		.getSetCookie()
		.map((c) => c.split(';')[0]!)
		.join('; ');
	expect(cookie).toMatch(/=/);
	return { cookie };
}

async function page(session: Session | null, path: string, language = 'it') {
	const response = await fetch(base + path, {
		headers: { accept: 'text/html', 'accept-language': language, ...(session ? { cookie: session.cookie } : {}) },
		redirect: 'manual'
	});
	return { status: response.status, location: response.headers.get('location'), html: await response.text() };
}

/** A form post as the browser sends it without JavaScript. */
async function post(session: Session, path: string, fields: [string, string][], language = 'it') {
	const response = await fetch(base + path, {
		method: 'POST',
		headers: {
			origin: base,
			accept: 'text/html',
			'accept-language': language,
			'content-type': 'application/x-www-form-urlencoded',
			cookie: session.cookie
		},
		body: new URLSearchParams(fields),
		redirect: 'manual'
	});
	return { status: response.status, location: response.headers.get('location'), html: await response.text() };
}

async function api(path: string) {
	const response = await fetch(base + path);
	return response.json();
}

interface Detail {
	id: string;
	properties: {
		open_now: boolean | null;
		closure: { from: string; until: string | null; note: string | null; active: boolean } | null;
		organization: { id: string; name: string };
		services: { id: string; name: string; description: string; needs: string[]; audiences: string[]; accepting_new: boolean | null; email: string | null; url: string | null }[];
	};
}

/** The demo organisation's first pin, its detail, and the ids behind it. */
async function find(q: string) {
	const list = await api(`/api/resources?q=${encodeURIComponent(q)}&limit=5`);
	const pin = list.features[0].id as string;
	const detail = (await api(`/api/resources/${pin}`)) as Detail;
	return { pin, detail, org: detail.properties.organization.id, service: detail.properties.services[0]!.id };
}

/** The service form's fields as they are now (from the public detail), with some typed over. */
function serviceFields(detail: Detail, locationId: string, hours: string, overrides: Record<string, string> = {}): [string, string][] {
	const s = detail.properties.services[0]!;
	const base: Record<string, string> = {
		name: s.name,
		description: s.description,
		accepting_new: s.accepting_new === null ? 'unknown' : s.accepting_new ? 'yes' : 'no',
		email: s.email ?? '',
		url: s.url ?? '',
		closed_from: '',
		closed_until: '',
		closure_note: '',
		[`hours.${locationId}`]: hours,
		...overrides
	};
	return [...Object.entries(base), ...s.needs.map((n) => ['needs', n] as [string, string]), ...s.audiences.map((a) => ['audiences', a] as [string, string])];
}

describe('partner self-service without JavaScript', () => {
	let forno: Awaited<ReturnType<typeof find>>;
	let caffe: Awaited<ReturnType<typeof find>>;
	let partner: Session;
	let servicePath: string;
	let locationId: string;
	let hours: string;

	beforeAll(async () => {
		forno = await find('Forno del Rione');
		caffe = await find('Caffè Insieme');
		expect(forno.detail.properties.organization.name).toBe(TEST_ACCOUNTS.partnerOrganization);
		expect(caffe.detail.properties.organization.name).toBe(TEST_ACCOUNTS.otherOrganization);
		partner = await login(TEST_ACCOUNTS.partner);
		servicePath = `/partner/${forno.org}/servizi/${forno.service}`;
		const form = await page(partner, servicePath);
		expect(form.status).toBe(200);
		locationId = /name="hours\.([0-9a-f-]{36})"/.exec(form.html)![1]!;
		hours = (await api(`/api/resources/${forno.pin}`)).properties.opening_hours;
	});

	it('asks to sign in first, and lists the partner\'s own organisations', async () => {
		const anonymous = await page(null, '/partner');
		expect(anonymous.status).toBe(303);
		expect(anonymous.location).toBe('/login?next=%2Fpartner');
		const mine = await page(partner, '/partner');
		expect(mine.status).toBe(200);
		expect(mine.html).toContain(`/partner/${forno.org}`);
		expect(mine.html).not.toContain(`/partner/${caffe.org}`);
	});

	it('answers 404 for another organisation, its services and its forms, and changes nothing', async () => {
		expect((await page(partner, `/partner/${caffe.org}`)).status).toBe(404);
		expect((await page(partner, `/partner/${caffe.org}/servizi/${caffe.service}`)).status).toBe(404);
		// Through the partner's own organisation, another's service is not found either.
		expect((await page(partner, `/partner/${forno.org}/servizi/${caffe.service}`)).status).toBe(404);
		const attempt = await post(partner, `/partner/${caffe.org}?/save`, [['name', 'Preso!']]);
		expect(attempt.status).toBe(404);
		expect((await api(`/api/resources/${caffe.pin}`)).properties.organization.name).toBe(TEST_ACCOUNTS.otherOrganization);
		expect((await page(partner, '/admin/modifiche')).status).toBe(403);
	});

	it('previews opening hours on the server: the problem, or the week, keeping every typed value and saving nothing', async () => {
		const bad = await post(partner, `${servicePath}?/preview`, serviceFields(forno.detail, locationId, 'Mo-Fr 25:00-26:00', { description: 'Testo non salvato' }));
		expect(bad.status).toBe(200);
		expect(bad.html).toContain('Orari non scritti correttamente');
		expect(bad.html).toContain('Testo non salvato');
		expect(bad.html).toContain('Mo-Fr 25:00-26:00');
		const good = await post(partner, `${servicePath}?/preview`, serviceFields(forno.detail, locationId, 'Mo-Fr 08:00-09:00'));
		expect(good.html).toContain('Orari letti correttamente');
		expect(good.html).toContain('08:00–09:00');
		expect((await api(`/api/resources/${forno.pin}`)).properties.opening_hours).toBe(hours);
	});

	it('a place\'s accessibility note: on the pact form\'s place fields, public at once on the resource page and in the API (issue 12)', async () => {
		const orgPage = await page(partner, `/partner/${forno.org}`);
		const placePath = /href="(\/partner\/[0-9a-f-]{36}\/sedi\/[0-9a-f-]{36})"/.exec(orgPage.html)![1]!;
		const form = await page(partner, placePath);
		expect(form.status).toBe(200);
		// The pact form's location fields: the address lookup and the accessibility note are there.
		expect(form.html).toContain('formaction="?/locate"');
		expect(form.html).toContain('Accessibilità');
		const decode = (text: string) => text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
		const value = (name: string) => decode(new RegExp(`name="${name}"[^>]*? value="([^"]*)"`).exec(form.html)?.[1] ?? '');
		const fields = (accessibility: string): [string, string][] => [
			...(['name', 'address', 'postal_code', 'city', 'lat', 'lon', 'version'] as const).map((name) => [name, value(name)] as [string, string]),
			['accessibility', accessibility]
		];
		expect(value('lat')).toMatch(/^45\.\d+$/);

		const note = 'Ingresso senza gradini; bagno accessibile.';
		const saved = await post(partner, `${placePath}?/save`, fields(note));
		expect(saved.status).toBe(303);
		expect((await api(`/api/resources/${forno.pin}`)).properties.accessibility).toEqual({ description: note });
		const publicPage = await page(null, `/risorse/${forno.pin}`);
		expect(publicPage.html).toContain('Accessibilità');
		expect(publicPage.html).toContain(note);

		// Too long: the page again, the problem in English with the field's limit, the text kept.
		const again = await page(partner, placePath);
		const version = /name="version" value="([^"]*)"/.exec(again.html)![1]!;
		const long = 'x'.repeat(1001);
		const refused = await post(partner, `${placePath}?/save`, [...fields(long).filter(([name]) => name !== 'version'), ['version', version]], 'en');
		expect(refused.status).toBe(400);
		expect(refused.html).toContain('The text is too long: at most 1000 characters.');
		expect(refused.html).toContain(long);

		// The address lookup fills the point without JavaScript, saving nothing.
		const located = await post(partner, `${placePath}?/locate`, fields(''));
		expect(located.status).toBe(200);
		expect(located.html).toMatch(/name="lat"[^>]*? value="45\.\d+"/);
		const cleared = await post(partner, `${placePath}?/save`, [...fields('').filter(([name]) => name !== 'version'), ['version', version]]);
		expect(cleared.status).toBe(303);
		expect((await api(`/api/resources/${forno.pin}`)).properties.accessibility).toBeNull();
	});

	it('refuses invalid input with the page again, the message in the person\'s language and the values kept', async () => {
		const it_ = await post(partner, `${servicePath}?/save`, serviceFields(forno.detail, locationId, hours, { email: 'non-una-email', description: 'Da tenere' }));
		expect(it_.status).toBe(400);
		expect(it_.html).toContain('Non sembra un indirizzo email');
		expect(it_.html).toContain('Da tenere');
		expect(it_.html).toContain('non-una-email');
		const en = await post(partner, `${servicePath}?/save`, serviceFields(forno.detail, locationId, hours, { email: 'not-an-email' }), 'en');
		expect(en.status).toBe(400);
		expect(en.html).toContain('This does not look like an email address');
		expect((await api(`/api/resources/${forno.pin}`)).properties.services[0].email).toBe(forno.detail.properties.services[0]!.email);
	});

	it('a temporary closure saved by the partner is public at once; an administrator sees it in the history and reverts it', async () => {
		const fields = serviceFields(forno.detail, locationId, hours, { closed_from: romeDay(0), closed_until: romeDay(2), closure_note: 'Chiuso per lutto' });
		const saved = await post(partner, `${servicePath}?/save`, fields);
		expect(saved.status).toBe(303);
		expect(saved.location).toBe(`${servicePath}?salvato=1`);
		const after = (await api(`/api/resources/${forno.pin}`)) as Detail;
		expect(after.properties.open_now).toBe(false);
		expect(after.properties.closure).toEqual({ from: romeDay(0), until: romeDay(2), note: 'Chiuso per lutto', active: true });
		const open = await api('/api/resources?open_now=true&limit=5000');
		expect(open.features.map((f: { id: string }) => f.id)).not.toContain(forno.pin);
		expect((await page(null, `/risorse/${forno.pin}`)).html).toContain('Chiuso temporaneamente');

		const admin = await login(TEST_ACCOUNTS.admin);
		const history = await page(admin, `/admin/modifiche?org=${forno.org}`);
		expect(history.status).toBe(200);
		expect(history.html).toContain(TEST_ACCOUNTS.partner);
		expect(history.html).toContain('Chiuso per lutto');
		const changeId = /name="change" value="(\d+)"/.exec(history.html)![1]!;
		const reverted = await post(admin, '/admin/modifiche?/revert', [
			['change', changeId],
			['org', forno.org]
		]);
		expect(reverted.status).toBe(303);
		const back = (await api(`/api/resources/${forno.pin}`)) as Detail;
		expect(back.properties.closure).toBeNull();
		// Reverting twice is refused with a message, not an error page.
		const again = await post(admin, '/admin/modifiche?/revert', [['change', changeId]]);
		expect(again.status).toBe(409);
		expect(again.html).toContain('è già stata annullata');
	});

	it('adds a place and a service, removes them after a confirmation step and undoes a removal from the history; another organisation is 404', async () => {
		// Another organisation's forms and history are not found, and change nothing.
		expect((await page(partner, `/partner/${caffe.org}/sedi/nuova`)).status).toBe(404);
		expect((await page(partner, `/partner/${caffe.org}/servizi/nuovo`)).status).toBe(404);
		expect((await post(partner, `/partner/${caffe.org}/sedi/nuova?/save`, [['name', 'Presa!'], ['lon', '9.3990'], ['lat', '45.8540']])).status).toBe(404);
		expect((await post(partner, `/partner/${caffe.org}/servizi/${caffe.service}?/remove`, [])).status).toBe(404);
		expect((await post(partner, `/partner/${caffe.org}?/revert`, [['change', '1']])).status).toBe(404);
		expect((await api(`/api/resources/${caffe.pin}`)).properties.services[0].id).toBe(caffe.service);

		const orgPath = `/partner/${forno.org}`;
		const newPlace = await page(partner, `${orgPath}/sedi/nuova`);
		expect(newPlace.status).toBe(200);
		expect(newPlace.html).toContain('formaction="?/locate"');
		const place: [string, string][] = [
			['name', 'Sala prove (test api)'],
			['address', 'Via Prova 1'],
			['city', 'Lecco']
		];
		const noPoint = await post(partner, `${orgPath}/sedi/nuova?/save`, place);
		expect(noPoint.status).toBe(400);
		expect(noPoint.html).toContain('Sala prove (test api)');
		const added = await post(partner, `${orgPath}/sedi/nuova?/save`, [...place, ['lon', '9.3990'], ['lat', '45.8540']]);
		expect(added.status).toBe(303);
		const placeId = new RegExp(`^${orgPath}/sedi/([0-9a-f-]{36})\\?aggiunto$`).exec(added.location ?? '')![1]!;

		const newService = await page(partner, `${orgPath}/servizi/nuovo`);
		expect(newService.html).toContain(`value="${placeId}"`);
		const service: [string, string][] = [
			['name', 'Servizio prova (test api)'],
			['category', 'partner'],
			['needs', 'food'],
			['accepting_new', 'yes'],
			['at', placeId],
			[`hours.${placeId}`, 'Mo-Fr 10:00-12:00']
		];
		const created = await post(partner, `${orgPath}/servizi/nuovo?/save`, service);
		expect(created.status).toBe(303);
		const serviceId = new RegExp(`^${orgPath}/servizi/([0-9a-f-]{36})\\?aggiunto$`).exec(created.location ?? '')![1]!;
		const listed = async () => (await api(`/api/resources?q=${encodeURIComponent('Servizio prova (test api)')}&limit=5`)).features.length;
		expect(await listed()).toBe(1);

		// A place that hosts a service is not removed: the page says which.
		const refused = await post(partner, `${orgPath}/sedi/${placeId}?/remove`, []);
		expect(refused.status).toBe(409);
		expect(refused.html).toContain('Servizio prova (test api)');

		// The service: asked first, then removed, gone from the public reads.
		const servicePage = `${orgPath}/servizi/${serviceId}`;
		expect((await page(partner, `${servicePage}?rimuovi`)).html).toContain('Sì, rimuovi il servizio');
		const removed = await post(partner, `${servicePage}?/remove`, []);
		expect(removed.status).toBe(303);
		expect(removed.location).toBe(`${orgPath}?rimosso=${serviceId}`);
		expect(await listed()).toBe(0);

		// Undone from the organisation's history: the newest change there is the removal.
		const history = await page(partner, orgPath);
		expect(history.html).toContain('ha rimosso');
		const removal = /action="\?\/revert"[\s\S]*?name="change" value="(\d+)"/.exec(history.html)![1]!;
		const undone = await post(partner, `${orgPath}?/revert`, [['change', removal]]);
		expect(undone.status).toBe(303);
		expect(await listed()).toBe(1);
		expect((await post(partner, `${orgPath}?/revert`, [['change', removal]])).status).toBe(409);

		// Cleared away: the service, then its place.
		expect((await post(partner, `${servicePage}?/remove`, [])).status).toBe(303);
		expect((await post(partner, `${orgPath}/sedi/${placeId}?/remove`, [])).status).toBe(303);
		expect((await page(partner, `${orgPath}/sedi/${placeId}`)).html).toContain('Ripristina la sede');
	});
});
