import { AUDIENCES, CATEGORIES, NEEDS, type Term } from '../../domain/taxonomy';
import { derivedId } from './ids';

/**
 * The Lecco profile of HSDS 3.1: the constants and taxonomies every HSDS answer and export of the
 * atlas shares. What the profile adds to HSDS, and why, is written in docs/hsds-lecco-profile.md
 * (served at {@link PROFILE_PATH}); keep the two together.
 */
export const HSDS_VERSION = '3.1';
/** Where the app serves the profile's description and the OpenAPI document (src/routes/hsds). */
export const PROFILE_PATH = '/hsds/profile';
export const OPENAPI_PATH = '/hsds/openapi.json';
/** Where the app serves the pinned HSDS schemas the OpenAPI document refers to. */
export const SCHEMA_PATH = '/hsds/schema';

/** Every address is in Italy; the atlas serves Lecco, in Lombardy (HSDS requires both fields). */
export const COUNTRY = 'IT';
export const STATE_PROVINCE = 'Lombardia';

export interface Taxonomy {
	/** The atlas's name for it, also the `taxonomy` of its terms. */
	code: 'category' | 'need' | 'audience';
	name: string;
	description: string;
	terms: readonly Term[];
}

export const TAXONOMIES: readonly Taxonomy[] = [
	{
		code: 'category',
		name: 'Categorie dell’Atlante di comunità di Lecco',
		description: 'The map layer a service belongs to (one per service): associations, public services, parishes, schools, shops, neighbourhood care points, health.',
		terms: CATEGORIES
	},
	{
		code: 'need',
		name: 'Bisogni dell’Atlante di comunità di Lecco',
		description: 'What a service helps with (any number per service), as families and social workers ask for it.',
		terms: NEEDS
	},
	{
		code: 'audience',
		name: 'Destinatari dell’Atlante di comunità di Lecco',
		description: 'Who a service is for (any number per service; "everyone" when it is open to all).',
		terms: AUDIENCES
	}
];

export const taxonomyId = (taxonomy: Taxonomy['code']) => derivedId('taxonomy', taxonomy);
export const termId = (taxonomy: Taxonomy['code'], code: string) => derivedId('taxonomy_term', taxonomy, code);

export interface HsdsTaxonomy {
	id: string;
	name: string;
	description: string;
	version: string;
}

export interface HsdsTerm {
	id: string;
	code: string;
	name: string;
	description: string;
	taxonomy: string;
	taxonomy_id: string;
	language: string;
	/** Lecco profile: the term's English label (`name` is the Italian one). */
	x_name_en: string;
}

export function taxonomyObject(taxonomy: Taxonomy): HsdsTaxonomy {
	return { id: taxonomyId(taxonomy.code), name: taxonomy.name, description: taxonomy.description, version: '1' };
}

export function termObject(taxonomy: Taxonomy, term: Term): HsdsTerm {
	return {
		id: termId(taxonomy.code, term.code),
		code: term.code,
		name: term.label_it,
		description: `${term.label_it} (${term.label_en})`,
		taxonomy: taxonomy.code,
		taxonomy_id: taxonomyId(taxonomy.code),
		language: 'it',
		x_name_en: term.label_en
	};
}

export const ALL_TERMS: readonly { taxonomy: Taxonomy; term: Term; object: HsdsTerm }[] = TAXONOMIES.flatMap((taxonomy) =>
	taxonomy.terms.map((term) => ({ taxonomy, term, object: termObject(taxonomy, term) }))
);

/** The terms of these ids as the public API's filter codes (an unknown id matches nothing). */
export function codesOfTerms(ids: string[]): { categories: string[]; needs: string[]; audiences: string[]; unknown: string[] } {
	const wanted = new Set(ids.map((id) => id.toLowerCase()));
	const found = ALL_TERMS.filter((entry) => wanted.has(entry.object.id));
	const codes = (kind: Taxonomy['code']) => found.filter((entry) => entry.taxonomy.code === kind).map((entry) => entry.term.code);
	const known = new Set(found.map((entry) => entry.object.id));
	return { categories: codes('category'), needs: codes('need'), audiences: codes('audience'), unknown: [...wanted].filter((id) => !known.has(id)) };
}
