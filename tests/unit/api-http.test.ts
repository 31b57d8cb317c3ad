import { error as httpError } from '@sveltejs/kit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, handleApi, privateJson } from '../../src/lib/server/api/http';
import { UserAdminError, usersApi } from '../../src/lib/server/auth/admin-users';
import { PlanError } from '../../src/lib/server/plans/plans';
import { planApi } from '../../src/lib/server/plans/http';
import { ScenarioError } from '../../src/lib/server/planning/coverage';
import { PlanningError, planningApi } from '../../src/lib/server/planning/http';

const failing = (error: unknown) => () => Promise.reject(error);
const read = async (response: Response) => ({ status: response.status, cache: response.headers.get('cache-control'), body: await response.json() });

describe('the JSON APIs\' one error wrapper', () => {
	afterEach(() => vi.restoreAllMocks());

	it('answers a refusal with its status, message and field, never cached', async () => {
		expect(await read(await handleApi(failing(new ApiError(400, 'bad need', 'need'))))).toEqual({ status: 400, cache: 'no-store', body: { error: 'bad need', field: 'need' } });
		expect(await read(await planApi(failing(new PlanError(409, 'referral open', 'referralOpen'))))).toEqual({ status: 409, cache: 'no-store', body: { error: 'referral open' } });
		expect(await read(await planningApi(failing(new PlanningError(400, 'invalid or missing need', 'need'))))).toMatchObject({ status: 400, body: { error: 'invalid or missing need', field: 'need' } });
		expect(await read(await planningApi(failing(new ScenarioError('hide', 'unknown resource ids: 1'))))).toMatchObject({ status: 400, body: { error: 'unknown resource ids: 1', field: 'hide' } });
		expect(await read(await usersApi(failing(new UserAdminError(409, 'last admin', 'role'))))).toEqual({ status: 409, cache: 'no-store', body: { error: 'last admin', field: 'role' } });
	});

	it('answers an access refusal and a database error caused by input with their 4xx', async () => {
		expect(await read(await planApi(() => Promise.resolve(httpError(404, 'Not found'))))).toEqual({ status: 404, cache: 'no-store', body: { error: 'Not found' } });
		expect(await read(await usersApi(failing(Object.assign(new Error('duplicate key'), { code: '23505' }))))).toMatchObject({ status: 409, body: { error: expect.stringContaining('already exists') } });
	});

	it('answers anything else with a 500 that says nothing of the request, and logs only the error\'s message', async () => {
		const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
		const response = await read(await planningApi(failing(new Error('connection reset'))));
		expect(response).toEqual({ status: 500, cache: 'no-store', body: { error: 'Something went wrong on our side. Please try again in a moment.' } });
		expect(logged).toHaveBeenCalledOnce();
		expect(String(logged.mock.calls[0]?.[0])).toMatch(/planning API request failed \{"error":"connection reset"\}$/);
	});

	it('private answers are never cached; 204 has no body', async () => {
		expect(privateJson({ a: 1 }).headers.get('cache-control')).toBe('no-store');
		const empty = privateJson(null, 204);
		expect([empty.status, await empty.text(), empty.headers.get('cache-control')]).toEqual([204, '', 'no-store']);
	});
});
