import { describe, expect, it } from 'vitest';
import { INT32_MAX, isInt32, isPlausibleDate, isRealDate, todayInRome } from '../../src/lib/domain/dates';
import { version } from '../../src/lib/domain/plan-forms';
import { findUncleanText, textProblem } from '../../src/lib/domain/text';
import { ApiError } from '../../src/lib/server/api/http';
import { resourceFilter } from '../../src/lib/server/api/public';
import { reconnectDelayS } from '../../src/lib/server/db/client';
import { databaseUnavailable, inputProblem } from '../../src/lib/server/db/errors';
import { formRefusal, jsonRefusal, readJsonBody, urlRefusal } from '../../src/lib/server/input';
import { body as planningBody, PlanningError } from '../../src/lib/server/planning/http';
import { PlanError } from '../../src/lib/server/plans/plans';
import { body as plansBody } from '../../src/lib/server/plans/http';

describe('the one text rule', () => {
	it('refuses NUL, lone surrogates and control characters, keeps tabs, new lines and any real Unicode', () => {
		expect(textProblem('a\0b')).toBe('nul');
		expect(textProblem('\ud800')).toBe('surrogate');
		expect(textProblem('x\udc00y')).toBe('surrogate');
		expect(textProblem('bell\x07')).toBe('control');
		expect(textProblem('riga 1\r\nriga 2\tcolonna')).toBeNull();
		expect(textProblem('Caffè 😀 Ωμέγα 中文')).toBeNull();
		expect(textProblem('')).toBeNull();
	});

	it('finds the first unclean string in a parsed body, keys included, and says where', () => {
		expect(findUncleanText({ goals: [{ text: 'ok' }, { text: 'no\0' }] })).toEqual({ path: 'goals[1].text', problem: 'nul' });
		expect(findUncleanText({ ['\ud800']: 1 })).toEqual({ path: 'body', problem: 'surrogate' });
		expect(findUncleanText({ a: [1, true, null, { b: 'fine' }] })).toBeNull();
	});
});

describe('days and numbers', () => {
	it('a real day round-trips through the calendar', () => {
		expect(isRealDate('2026-02-28')).toBe(true);
		expect(isRealDate('2028-02-29')).toBe(true);
		expect(isRealDate('2026-02-29')).toBe(false);
		expect(isRealDate('2026-02-31')).toBe(false);
		expect(isRealDate('2026-13-01')).toBe(false);
		expect(isRealDate('2026-00-10')).toBe(false);
		expect(isRealDate('0000-01-01')).toBe(false);
		expect(isRealDate('2026-1-1')).toBe(false);
		expect(isRealDate(' 2026-01-01')).toBe(false);
	});

	it('a plausible day is real and within 2000–2099', () => {
		expect(isPlausibleDate('1900-01-01')).toBe(false);
		expect(isPlausibleDate('1999-12-31')).toBe(false);
		expect(isPlausibleDate('2000-01-01')).toBe(true);
		expect(isPlausibleDate('2100-01-01')).toBe(false);
	});

	it('32-bit bounds', () => {
		expect(isInt32(INT32_MAX)).toBe(true);
		expect(isInt32(2147483648)).toBe(false);
		expect(isInt32(1.5)).toBe(false);
	});

	it('today is Lecco’s day: 00:30 in Rome is already the next day while UTC is still on the previous one', () => {
		// Winter (UTC+1) and summer (UTC+2).
		expect(todayInRome(new Date('2026-01-15T23:30:00Z'))).toBe('2026-01-16');
		expect(todayInRome(new Date('2026-07-15T22:30:00Z'))).toBe('2026-07-16');
		expect(todayInRome(new Date('2026-07-15T21:59:00Z'))).toBe('2026-07-15');
	});
});

describe('the public API’s text parameters', () => {
	it('q with a NUL or a control character is a 400 naming the parameter', () => {
		for (const q of ['\0', 'a\0b', 'bell\x07']) {
			expect(() => resourceFilter(new URLSearchParams({ q }))).toThrow(ApiError);
			try {
				resourceFilter(new URLSearchParams({ q }));
			} catch (error) {
				expect((error as ApiError).status).toBe(400);
				expect((error as ApiError).message).toMatch(/^q /);
			}
		}
	});
});

describe('request-level refusals', () => {
	const post = (type: string | null, body: string) =>
		new Request('http://localhost/x', { method: 'POST', headers: type ? { 'content-type': type } : {}, body });

	it('the address: NUL in the path or any parameter, malformed escapes', () => {
		expect(urlRefusal(new URL('http://localhost/api/resources?q=%00'))).toMatchObject({ status: 400 });
		expect(urlRefusal(new URL('http://localhost/partner?q=a%00'))).toMatchObject({ status: 400 });
		expect(urlRefusal(new URL('http://localhost/risorse/%00'))).toMatchObject({ status: 400 });
		expect(urlRefusal(new URL('http://localhost/risorse/%E0%A4%A'))).toMatchObject({ status: 400 });
		expect(urlRefusal(new URL('http://localhost/?q=caff%C3%A8&near=9.39,45.85'))).toBeNull();
	});

	it('a form action takes forms only, with clean fields', async () => {
		expect(await formRefusal(post('text/plain', 'email=a@b.it'))).toMatchObject({ status: 415 });
		expect(await formRefusal(post(null, ''))).toMatchObject({ status: 415 });
		expect(await formRefusal(post('application/x-www-form-urlencoded', 'email=a%00@b.it'))).toMatchObject({ status: 400 });
		const fine = post('application/x-www-form-urlencoded', 'email=a@b.it&note=riga%0Ariga');
		expect(await formRefusal(fine)).toBeNull();
		// The action still reads the body.
		expect((await fine.formData()).get('email')).toBe('a@b.it');
	});

	it('a JSON endpoint takes JSON only, with clean strings; no body passes', async () => {
		expect(await jsonRefusal(post('text/plain', '{}'))).toMatchObject({ status: 415 });
		expect(await jsonRefusal(post('application/json', '{"a":'))).toMatchObject({ status: 400 });
		expect(await jsonRefusal(post('application/json', '{"text":"\\u0000"}'))).toMatchObject({ status: 400, message: expect.stringContaining('text') });
		expect(await jsonRefusal(post('application/json', '{"text":"\\ud800"}'))).toMatchObject({ status: 400 });
		expect(await jsonRefusal(post('application/json', '{"text":"ok"}'))).toBeNull();
		expect(await jsonRefusal(new Request('http://localhost/x', { method: 'DELETE' }))).toBeNull();
	});

	it('database errors caused by input map to a 4xx; others stay unmapped (500)', () => {
		expect(inputProblem({ code: '23503' })).toMatchObject({ status: 400 });
		expect(inputProblem({ code: '22P02' })).toMatchObject({ status: 400 });
		expect(inputProblem({ code: '22P05' })).toMatchObject({ status: 400 });
		expect(inputProblem({ code: '23505' })).toMatchObject({ status: 409 });
		expect(inputProblem({ code: '42601' })).toBeNull();
		expect(inputProblem(new Error('boom'))).toBeNull();
	});

	it('a database out of reach is told apart (a 503: try again), and never taken for bad input', () => {
		// pg_terminate_backend, a restart's shutdown, a server starting up; postgres.js's own; a refused socket.
		for (const code of ['57P01', '57P02', '57P03', '08006', 'CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNREFUSED']) {
			expect(databaseUnavailable(Object.assign(new Error('x'), { code })), code).toBe(true);
			expect(inputProblem({ code }), code).toBeNull();
		}
		expect(databaseUnavailable(Object.assign(new Error('x'), { code: 'ENOENT', syscall: 'connect' }))).toBe(true);
		// A missing file is not the database; syntax, input, unknown errors are not either.
		expect(databaseUnavailable(Object.assign(new Error('x'), { code: 'ENOENT', syscall: 'open' }))).toBe(false);
		for (const error of [{ code: '42601' }, { code: '23505' }, new Error('boom'), null, 'text']) expect(databaseUnavailable(error)).toBe(false);
	});

	it('after a failed connection attempt the next waits 0.1 s, doubling, never more than 1 s', () => {
		expect([1, 2, 3, 4, 5, 50].map(reconnectDelayS)).toEqual([0.1, 0.2, 0.4, 0.8, 1, 1]);
	});
});

describe('the plan forms’ version field', () => {
	it('a version beyond 32 bits is no version (the form is refused, not a database error)', () => {
		const form = (value: string) => {
			const data = new FormData();
			data.set('version', value);
			return data;
		};
		expect(version(form('7'))).toBe(7);
		expect(version(form('2147483648'))).toBeNull();
		expect(version(form('1e3'))).toBe(1000);
		expect(version(form('-1'))).toBeNull();
	});
});

describe('the JSON APIs\' one body reader', () => {
	const post = (text: string, type?: string) => new Request('http://localhost/api', { method: 'POST', body: text, headers: type ? { 'content-type': type } : {} });

	it('reads a JSON body, and refuses another type or unparseable JSON through the API\'s own error', async () => {
		const refuse = (message: string) => new ApiError(400, message);
		expect(await readJsonBody(post('{"a":[1]}', 'application/json; charset=utf-8'), refuse)).toEqual({ a: [1] });
		await expect(readJsonBody(post('a=1', 'application/x-www-form-urlencoded'), refuse)).rejects.toThrow(/Content-Type: application\/json/);
		await expect(readJsonBody(post('', 'application/json'), refuse)).rejects.toThrow('The body is not valid JSON.');
		await expect(readJsonBody(post('{', 'application/json'), refuse)).rejects.toBeInstanceOf(ApiError);
	});

	it('the plans and the planning APIs answer a bad body with their own 400', async () => {
		await expect(plansBody(post('{'))).rejects.toMatchObject({ status: 400, message: expect.stringContaining('Content-Type') });
		await expect(plansBody(post('{', 'application/json'))).rejects.toBeInstanceOf(PlanError);
		await expect(planningBody(post('{', 'application/json'))).rejects.toMatchObject({ status: 400, message: 'The body is not valid JSON.' });
		await expect(planningBody(post('[]'))).rejects.toBeInstanceOf(PlanningError);
		expect(await planningBody(post('{"name":"x"}', 'application/json'))).toEqual({ name: 'x' });
	});
});
