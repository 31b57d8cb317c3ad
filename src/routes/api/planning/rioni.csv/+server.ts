import type { RequestHandler } from './$types';
import { coverageQuery, planningApi } from '$lib/server/planning/http';
import * as coverage from '$lib/server/planning/coverage';
import { RIONI_CSV_COLUMNS } from '$lib/domain/planning';

/** GET /api/planning/rioni.csv?…: the rows of /api/planning/rioni as CSV, to download. */
export const GET: RequestHandler = ({ url }) =>
	planningApi(async () => {
		const query = coverageQuery(url);
		const csv = coverage.rioniCsv(await coverage.rioniCoverage(query), RIONI_CSV_COLUMNS);
		const name = `copertura-${query.need}-${query.within}min-${query.when}${query.audience ? `-${query.audience}` : ''}${query.accepting ? '-accoglie' : ''}.csv`;
		return new Response(csv, {
			headers: {
				'content-type': 'text/csv; charset=utf-8',
				'content-disposition': `attachment; filename="${name}"`,
				'cache-control': 'no-store'
			}
		});
	});
