import type { RequestHandler } from './$types';
import { handleApi, publicBody } from '$lib/server/api/http';
import { includeDemo } from '$lib/server/hsds/api';
import { dataPackage } from '$lib/server/hsds/export';

/** The public directory as an HSDS 3.1 tabular data package (CSV per table + datapackage.json), zipped. */
export const GET: RequestHandler = ({ request, url }) =>
	handleApi(
		async () =>
			publicBody(request, await dataPackage(url.origin, { excludeDemo: !includeDemo(url.searchParams) }), {
				contentType: 'application/zip',
				filename: 'atlante-lecco-hsds.zip',
				maxAge: 300
			}),
		{ name: 'HSDS export' }
	);
