import openapi from './spec/schema/openapi.json';
import { HSDS_VERSION, OPENAPI_PATH, PROFILE_PATH, SCHEMA_PATH } from './profile';

/**
 * The pinned HSDS 3.1 schemas and OpenAPI document (src/lib/server/hsds/spec, copied unchanged
 * from openreferral/specification 3.1-dev at abc731c8; see spec/README.md), served by the app so a
 * client needs nothing from the internet: the schemas at `/hsds/schema/{name}.json`, and the OpenAPI
 * document with its `$ref`s pointed at them instead of the specification's `3.0` paths on GitHub,
 * its placeholders filled in, and the Lecco profile's parameters described.
 */
const files = import.meta.glob<object>('./spec/schema/*.json', { eager: true, import: 'default' });

/** The schema files by name (`service.json`), the OpenAPI document left out. */
export const SCHEMAS: ReadonlyMap<string, object> = new Map(
	Object.entries(files)
		.map(([path, schema]) => [path.slice(path.lastIndexOf('/') + 1), schema] as const)
		.filter(([name]) => name !== 'openapi.json')
);

/** `…/specification/3.0/schema/compiled/service_list.json` → `service.json`: the pinned schemas
 * leave out the compiled views, whose objects are the canonical ones (list items have their fields). */
export function schemaFileOf(ref: string): string | null {
	const match = /\/schema\/(?:compiled\/)?([a-z_]+?)(?:_list)?\.json$/.exec(ref);
	return match && SCHEMAS.has(`${match[1]}.json`) ? `${match[1]}.json` : null;
}

function rewriteRefs(value: unknown, base: string): unknown {
	if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, base));
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value).map(([key, inner]) => {
				if (key === '$ref' && typeof inner === 'string' && inner.startsWith('http')) {
					const file = schemaFileOf(inner);
					return [key, file ? `${base}${SCHEMA_PATH}/${file}` : inner];
				}
				return [key, rewriteRefs(inner, base)];
			})
		);
	}
	return value;
}

const LECCO_PARAMETERS = {
	include_demo: {
		name: 'include_demo',
		in: 'query',
		required: false,
		description: 'Lecco profile: also list the demo set\'s fictional records (marked "x_demo": true). Default false.',
		schema: { type: 'boolean' }
	}
};

/** The OpenAPI document for this installation (`origin`: its public address). */
export function openApiDocument(origin: string) {
	const document = rewriteRefs(openapi, origin) as typeof openapi & Record<string, unknown>;
	const paths = document.paths as Record<string, Record<string, { parameters?: unknown[] }>>;
	for (const path of ['/services', '/organizations', '/service_at_locations', '/services/{id}', '/organizations/{id}']) {
		const get = paths[path]?.get;
		if (get) get.parameters = [...(get.parameters ?? []), { $ref: '#/components/parameters/include_demo' }];
	}
	const components = document.components as { parameters: Record<string, Record<string, unknown>> };
	components.parameters = {
		...components.parameters,
		...LECCO_PARAMETERS,
		proximity: {
			...components.parameters.proximity,
			description:
				'Lecco profile: `LAT,LON,KM` — services at locations within KM kilometres (at most 50) of the point, nearest first (each with `x_distance_m`). The postcode form is not supported.'
		}
	};
	return {
		...document,
		info: {
			title: 'Atlante di comunità — HSDS API',
			version: HSDS_VERSION,
			summary: 'The public directory of the Atlante di comunità (Comune di Lecco) as Open Referral HSDS 3.1, Lecco profile.',
			description: `Public data only. The Lecco profile is described at ${origin}${PROFILE_PATH}. This document is the HSDS 3.1 OpenAPI document (openreferral/specification, CC BY-SA 4.0) with its schema references pointed at this server's copies.`,
			license: { name: 'CC BY-SA 4.0 (the HSDS specification); the data: see each record\'s x_source', url: 'https://creativecommons.org/licenses/by-sa/4.0/' }
		},
		servers: [{ url: `${origin}/hsds` }],
		'x-openapi-url': `${origin}${OPENAPI_PATH}`
	};
}
