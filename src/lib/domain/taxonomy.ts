/**
 * The stable codes of the atlas's taxonomies with their labels. Pure data shared by browser and
 * server; `db/migrations/0001_init.sql` holds the same lists and a test checks that they agree.
 */
export interface Term<Code extends string = string> {
	code: Code;
	label_it: string;
	label_en: string;
}

export const CATEGORY_CODES = ['partner', 'institution', 'parish', 'school', 'shop', 'custodia', 'health'] as const;
export type CategoryCode = (typeof CATEGORY_CODES)[number];

export const NEED_CODES = [
	'food',
	'clothing',
	'housing',
	'work',
	'homework',
	'childcare',
	'youth',
	'elderly',
	'listening',
	'health',
	'disability',
	'legal',
	'language',
	'money',
	'community',
	'volunteering'
] as const;
export type NeedCode = (typeof NEED_CODES)[number];

export const AUDIENCE_CODES = ['children', 'teens', 'families', 'elderly', 'disability', 'migrants', 'women', 'everyone'] as const;
export type AudienceCode = (typeof AUDIENCE_CODES)[number];

export const CATEGORIES: Term<CategoryCode>[] = [
	{ code: 'partner', label_it: 'Associazioni e terzo settore', label_en: 'Associations and third sector' },
	{ code: 'institution', label_it: 'Servizi pubblici', label_en: 'Public services' },
	{ code: 'parish', label_it: 'Parrocchie', label_en: 'Parishes' },
	{ code: 'school', label_it: 'Scuole e doposcuola', label_en: 'Schools and after-school' },
	{ code: 'shop', label_it: 'Negozi di vicinato', label_en: 'Neighbourhood shops' },
	{ code: 'custodia', label_it: 'Custodia sociale', label_en: 'Neighbourhood care points' },
	{ code: 'health', label_it: 'Salute', label_en: 'Health' }
];

export const NEEDS: Term<NeedCode>[] = [
	{ code: 'food', label_it: 'Cibo e spesa', label_en: 'Food' },
	{ code: 'clothing', label_it: 'Vestiti', label_en: 'Clothing' },
	{ code: 'housing', label_it: 'Casa', label_en: 'Housing' },
	{ code: 'work', label_it: 'Lavoro', label_en: 'Work' },
	{ code: 'homework', label_it: 'Aiuto nei compiti', label_en: 'Homework help' },
	{ code: 'childcare', label_it: 'Cura dei bambini', label_en: 'Childcare' },
	{ code: 'youth', label_it: 'Ragazzi e giovani', label_en: 'Young people' },
	{ code: 'elderly', label_it: 'Anziani', label_en: 'Older people' },
	{ code: 'listening', label_it: 'Ascolto', label_en: 'Someone to listen' },
	{ code: 'health', label_it: 'Salute', label_en: 'Health' },
	{ code: 'disability', label_it: 'Disabilità', label_en: 'Disability' },
	{ code: 'legal', label_it: 'Consulenza legale', label_en: 'Legal advice' },
	{ code: 'language', label_it: 'Lingua italiana', label_en: 'Italian language' },
	{ code: 'money', label_it: 'Sostegno economico', label_en: 'Financial help' },
	{ code: 'community', label_it: 'Compagnia e comunità', label_en: 'Company and community' },
	{ code: 'volunteering', label_it: 'Volontariato', label_en: 'Volunteering' }
];

export const AUDIENCES: Term<AudienceCode>[] = [
	{ code: 'children', label_it: 'Bambini', label_en: 'Children' },
	{ code: 'teens', label_it: 'Ragazzi', label_en: 'Teenagers' },
	{ code: 'families', label_it: 'Famiglie', label_en: 'Families' },
	{ code: 'elderly', label_it: 'Anziani', label_en: 'Older people' },
	{ code: 'disability', label_it: 'Persone con disabilità', label_en: 'People with disabilities' },
	{ code: 'migrants', label_it: 'Persone migranti', label_en: 'Migrants' },
	{ code: 'women', label_it: 'Donne', label_en: 'Women' },
	{ code: 'everyone', label_it: 'Tutti', label_en: 'Everyone' }
];

/** The commitments of the Patto di comunità an organisation may take when it signs. */
export const PACT_COMMITMENT_CODES = [
	'keep_information_current',
	'signpost_families',
	'shared_support_plans',
	'custodia_sociale',
	'offer_spaces',
	'offer_volunteers',
	'share_knowledge'
] as const;
export type PactCommitmentCode = (typeof PACT_COMMITMENT_CODES)[number];

export const PACT_COMMITMENTS: Term<PactCommitmentCode>[] = [
	{ code: 'keep_information_current', label_it: 'Tenere aggiornate le proprie informazioni sulla mappa', label_en: 'Keep our information on the map up to date' },
	{ code: 'signpost_families', label_it: 'Orientare le famiglie verso i servizi e le risorse del territorio', label_en: 'Point families to the services and resources around them' },
	{ code: 'shared_support_plans', label_it: 'Partecipare ai progetti di sostegno condivisi', label_en: 'Take part in shared support plans' },
	{ code: 'custodia_sociale', label_it: 'Essere presidio di custodia sociale nel proprio rione', label_en: 'Be a neighbourhood-care presence in our rione' },
	{ code: 'offer_spaces', label_it: 'Mettere a disposizione spazi', label_en: 'Offer spaces' },
	{ code: 'offer_volunteers', label_it: 'Mettere a disposizione volontari e tempo', label_en: 'Offer volunteers and time' },
	{ code: 'share_knowledge', label_it: 'Condividere conoscenze e segnalazioni nel rispetto della riservatezza', label_en: 'Share knowledge and concerns, respecting confidentiality' }
];
