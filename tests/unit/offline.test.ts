import { describe, expect, it } from 'vitest';
import { isOfflineCacheable, isOfflineTile, isStorableAnswer } from '../../src/lib/domain/offline';

// Issue 14, item 8: the service worker keeps public pages and answers only (an allowlist).
const ID = '0b6e4f00-1111-4222-8333-444455556666';

describe('what the offline service worker may keep', () => {
	it('keeps the public pages, the public read API, the gazetteer and the basemap', () => {
		for (const path of ['/', '/trova-aiuto', '/fonti', `/risorse/${ID}`, '/api/resources', `/api/resources/${ID}`, '/api/places/gazetteer.json', '/api/neighbourhoods', '/basemap/areas.geojson', '/basemap/layers.geojson']) {
			expect(isOfflineCacheable(path), path).toBe(true);
		}
	});

	it('never keeps private or unknown paths', () => {
		for (const path of ['/login', '/account', '/__data.json', `/risorse/${ID}/__data.json`, '/account/__data.json', '/piani', `/piani/${ID}`, '/partner', '/admin', '/pianificazione', '/segnalazioni', '/api/plans', '/api/admin/users',
			// The place search's answers, one per keystroke, would push the pages out: the gazetteer answers offline.
			'/api/places', '/api/me', '/logout', '/aderisci/domanda', '/imposta-password/abc', '/risorse/nope', `/risorse/${ID}/segnala`, '/anything-new']) {
			expect(isOfflineCacheable(path), path).toBe(false);
		}
	});

	it('keeps the public vector tiles apart from the pages, and nothing that only looks like one', () => {
		expect(isOfflineTile('/api/tiles/12/2176/1456.mvt')).toBe(true);
		expect(isOfflineTile('/api/tiles/0/0/0.mvt')).toBe(true);
		for (const path of ['/api/tiles/12/2176/1456.pbf', '/api/tiles/12/x/1456.mvt', '/api/tiles/12/2176.mvt', '/api/tiles/12/2176/1456.mvt/extra', '/api/tilesx/1/2/3.mvt']) {
			expect(isOfflineTile(path), path).toBe(false);
		}
		// Their own cache, with its own limit: a pan across the region never pushes a kept page out.
		expect(isOfflineCacheable('/api/tiles/12/2176/1456.mvt')).toBe(false);
	});

	it('never keeps an answer marked no-store or private, nor a failure', () => {
		expect(isStorableAnswer(200, 'public, max-age=60')).toBe(true);
		expect(isStorableAnswer(200, null)).toBe(true);
		expect(isStorableAnswer(200, 'no-store')).toBe(false);
		expect(isStorableAnswer(200, 'private, max-age=0')).toBe(false);
		expect(isStorableAnswer(500, null)).toBe(false);
		expect(isStorableAnswer(302, null)).toBe(false);
	});
});
