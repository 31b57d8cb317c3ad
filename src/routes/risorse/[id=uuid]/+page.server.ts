import { error, fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { todayInRome } from '$lib/domain/dates';
import { reportValuesFromForm } from '$lib/domain/error-reports';
import { provenanceOf } from '$lib/domain/provenance';
import { weekTable } from '$lib/domain/week-table';
import { env as publicEnv } from '$env/dynamic/public';
import { translator } from '$lib/i18n';
import * as arrive from '$lib/server/arrive';
import { ApiError } from '$lib/server/api/http';
import * as params from '$lib/server/api/params';
import * as publicApi from '$lib/server/api/public';
import * as places from '$lib/server/db/places';
import * as resources from '$lib/server/db/resources';
import * as reports from '$lib/server/reports/reports';
import { config } from '$lib/server/startup';

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle (haversine) distance in metres between two WGS84 points. */
function distanceMetres(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
	const rad = Math.PI / 180;
	const dLat = (b.lat - a.lat) * rad;
	const dLon = (b.lon - a.lon) * rad;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
	return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** `?near=LON,LAT` when well-formed and in range; anything else is ignored (the page still works). */
function nearFrom(url: URL): { lon: number; lat: number } | null {
	try {
		return params.lonLat(url.searchParams, 'near') ?? null;
	} catch (problem) {
		if (problem instanceof ApiError) return null;
		throw problem;
	}
}

export const load: PageServerLoad = async ({ params: route, url, locals }) => {
	let feature: Awaited<ReturnType<typeof publicApi.resourceDetail>>;
	try {
		feature = await publicApi.resourceDetail(route.id);
	} catch (problem) {
		if (problem instanceof ApiError && problem.status === 404) error(404, translator(locals.locale)('resource.notFound'));
		throw problem;
	}
	const resource = feature.properties;
	const [lon, lat] = feature.geometry.coordinates as [number, number];
	const now = new Date();

	const near = nearFrom(url);
	const [outline, stops] = await Promise.all([
		places.outlineFor(resource.neighbourhood, resource.approximate ? null : { lon, lat }),
		// None for a confidential place: arrive.stopsNear leaves them out (its stops would hint at where it is).
		arrive.stopsNear([resource.id], 3)
	]);
	const hours = resource.opening_hours ? weekTable(resource.opening_hours, now) : null;
	const facts = await resources.provenanceFacts(resource.id);

	return {
		resource,
		// A confidential resource's point is only its rione's label point: it is never sent to the page.
		point: resource.approximate ? null : ([lon, lat] as [number, number]),
		stops: stops.get(resource.id) ?? [],
		// Directions from an external router only where the deployment is online (it then loads an
		// external basemap too); offline, the phone's own map app (the geo: link) still works.
		online: Boolean(publicEnv.PUBLIC_BASEMAP_STYLE_URL),
		outline,
		hours,
		// Each other service's own week, when its hours are not those of this resource.
		serviceHours: Object.fromEntries(
			resource.services
				.filter((service) => service.opening_hours && service.opening_hours !== resource.opening_hours)
				.map((service) => [service.id, weekTable(service.opening_hours!, now)])
		),
		near: near ? `${near.lon},${near.lat}` : null,
		// Distance from the chosen place; for a confidential resource, to its rione's centre (and said so).
		distance: near ? Math.round(distanceMetres(near, { lon, lat })) : null,
		// Source and date, or "da verificare" (the administrators' rule): domain/provenance.ts.
		provenance: facts ? provenanceOf(facts, todayInRome(now)) : null,
		// The thank-you of "Segnala un errore" (after its redirect).
		reportSent: url.searchParams.has('segnalato'),
		path: `/risorse/${encodeURIComponent(resource.id)}`,
		canonical: `${url.origin}/risorse/${encodeURIComponent(resource.id)}`
	};
};

export const actions = {
	/**
	 * "Segnala un errore", without an account: the thank-you is a redirect (a reload does not send
	 * the report again); problems and the hourly limit answer the form with the values typed.
	 */
	report: async ({ params: route, request, getClientAddress, locals }) => {
		const form = await request.formData();
		const values = reportValuesFromForm(form);
		const honeypot = form.get(reports.REPORT_HONEYPOT);
		const outcome = await reports.submit({
			resourceId: route.id,
			values,
			honeypot: typeof honeypot === 'string' ? honeypot : '',
			address: getClientAddress(),
			perHour: config().reportsPerHour
		});
		if (outcome.status === 'missing') error(404, translator(locals.locale)('resource.notFound'));
		if (outcome.status === 'invalid') return fail(400, { report: { values, errors: outcome.errors } });
		if (outcome.status === 'throttled') return fail(429, { report: { values, errors: {}, retryAfterSeconds: outcome.retryAfterSeconds } });
		redirect(303, `/risorse/${encodeURIComponent(route.id)}?segnalato#segnala`);
	}
} satisfies Actions;
