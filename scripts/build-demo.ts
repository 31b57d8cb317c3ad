// `npm run demo:build` (or `npx tsx scripts/build-demo.ts`): writes the FICTIONAL demo set
// `db/seed/demo/demo.directory.json`, so the atlas looks alive before real partners enter their own
// data. Every organisation, service, address, phone number and e-mail below is invented: names end
// in " (esempio)", phones are 0341 000 1xx/2xx (not assigned), e-mails are at example.org, and
// streets are real Lecco street names (ANNCSU) with made-up house numbers that need not match the
// coordinates. The app marks these records as examples and drops them with ATLANTE_DEMO=0.
//
// The records are curated by hand as data below. The script checks them (taxonomy codes and shape
// with the bundle's zod schema, every OSM opening_hours string with the `opening_hours` library,
// every point inside the ISTAT outline of Lecco and nearest to its own rione centre, coverage of every rione) and
// fails on any problem. Positions are deterministic offsets from approximate rione centres, so two
// runs give byte-identical output.
//
// Inputs: ../shared/data/lecco (or LECCO_DATA_DIR): the ISTAT city outline and the ANNCSU street
// names.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import opening_hours from 'opening_hours';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { point } from '@turf/helpers';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { directoryBundle, type DirectoryBundle } from '../src/lib/server/seed/bundle';
import type { AudienceCode, CategoryCode, NeedCode } from '../src/lib/domain/taxonomy';
import { mulberry32 } from './lib/stats';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = path.join(REPO_ROOT, 'db/seed/demo/demo.directory.json');
const DATA_DIR = process.env.LECCO_DATA_DIR ?? path.resolve('../shared/data/lecco');

const SOURCE = {
	id: 'atlante-demo',
	name: 'Dati di esempio (fittizi)',
	licence: 'CC0 1.0',
	url: null,
	attribution: 'Dati di esempio fittizi — Atlante di comunità'
};
const VERIFIED_AT = '2026-11-01';

// ---------------------------------------------------------------------------------------------
// Rioni: approximate centres (lon, lat). Locations are scattered around them.
// ---------------------------------------------------------------------------------------------

const RIONI = {
	Acquate: [9.40863, 45.8603],
	Belledo: [9.41078, 45.84936],
	Bonacina: [9.416, 45.87],
	Caleotto: [9.40629, 45.85143],
	Castello: [9.39644, 45.86076],
	Centro: [9.38966, 45.8551],
	Chiuso: [9.42004, 45.82075],
	Germanedo: [9.41515, 45.85391],
	Laorca: [9.40352, 45.87565],
	Maggianico: [9.41548, 45.83277],
	Malnago: [9.42138, 45.86204],
	Olate: [9.418, 45.8555],
	Pescarenico: [9.3985, 45.8462],
	Rancio: [9.3975, 45.87],
	'San Giovanni': [9.40136, 45.86399],
	'Santo Stefano': [9.38914, 45.86404]
} as const satisfies Record<string, readonly [number, number]>;
type Rione = keyof typeof RIONI;
const RIONE_NAMES = Object.keys(RIONI) as Rione[];

/** Largest offset from a rione centre, in metres (less where two centres are close). */
const MAX_OFFSET_M = 250;
/**
 * Rioni with the lake (Centro, Santo Stefano) or the Adda and Lago di Garlate (Pescarenico, Chiuso)
 * just west of their centre: offsets there only go east. The ISTAT outline includes Lecco's share
 * of the lake, and the Natural Earth lake is too coarse here (it covers Piazza XX Settembre), so
 * neither can tell water from land at this scale.
 */
const EAST_ONLY: ReadonlySet<Rione> = new Set<Rione>(['Centro', 'Santo Stefano', 'Pescarenico', 'Chiuso']);
const PRNG_SEED = 0x1ecc0;

// Nominatim-like context for public holidays (Italy, Lombardy), as the brief and the app use.
const HOURS_CONTEXT = { lat: 45.85, lon: 9.39, address: { country_code: 'it', state: 'Lombardia' } };

// ---------------------------------------------------------------------------------------------
// The curated records
// ---------------------------------------------------------------------------------------------

interface Phone {
	number: string;
	description?: string;
}

interface LocationSpec {
	ref: string;
	name: string;
	rione: Rione;
	/** An ANNCSU `denominazione` of Lecco, upper case as in the source; omitted when confidential. */
	street?: string;
	number?: string;
	confidential?: boolean;
}

interface ServiceSpec {
	ref: string;
	name: string;
	description: string;
	category: CategoryCode;
	needs: NeedCode[];
	audiences: AudienceCode[];
	accepting_new: boolean | null;
	phones?: Phone[];
	url?: string;
	/** Location ref → OSM opening_hours, or null when unknown. */
	at: Record<string, string | null>;
}

interface OrgSpec {
	ref: string;
	name: string;
	kind: CategoryCode;
	description: string;
	website?: string;
	locations: LocationSpec[];
	services: ServiceSpec[];
}

/** A service phone number (the organisation's own number is assigned automatically). */
const tel = (last3: string, description?: string): Phone =>
	description ? { number: `0341 000 ${last3}`, description } : { number: `0341 000 ${last3}` };

const ORGS: OrgSpec[] = [
	// ----------------------------------------------------------------------------- Acquate
	{
		ref: 'panificio-il-forno-del-rione',
		name: 'Panificio Il Forno del Rione (esempio)',
		kind: 'shop',
		description: "Panificio di quartiere che aderisce al patto come punto di ascolto e di orientamento.",
		locations: [{ ref: 'negozio', name: 'Panificio', rione: 'Acquate', street: 'VIA FRA BERNARDINO DA ACQUATE', number: '14' }],
		services: [
			{
				ref: 'pane-sospeso',
				name: 'Pane sospeso e punto di ascolto',
				description:
					"I clienti lasciano pane già pagato per chi ne ha bisogno: basta chiederlo al banco, senza dare spiegazioni. Chi lavora al forno conosce il rione e sa indicare a chi rivolgersi per altri aiuti.",
				category: 'shop',
				needs: ['food', 'community'],
				audiences: ['families', 'elderly'],
				accepting_new: true,
				at: { negozio: 'Mo-Sa 07:00-13:00,16:00-19:30; Su 07:30-12:30; PH off' }
			}
		]
	},
	{
		ref: 'parrocchia-acquate',
		name: 'Comunità parrocchiale di Acquate (esempio)',
		kind: 'parish',
		description: "Parrocchia di rione con oratorio, doposcuola e centro di ascolto gestiti da volontari.",
		locations: [{ ref: 'oratorio', name: 'Oratorio', rione: 'Acquate', street: 'VIA TONIO E GERVASO', number: '3' }],
		services: [
			{
				ref: 'doposcuola',
				name: "Doposcuola dell'oratorio",
				description:
					"Aiuto nei compiti per bambini delle elementari e ragazzi delle medie, seguiti da educatori e volontari. Iscrizione in oratorio insieme a un genitore; i genitori che possono danno una mano con la merenda o il riordino.",
				category: 'parish',
				needs: ['homework', 'youth'],
				audiences: ['children', 'teens'],
				accepting_new: true,
				at: { oratorio: 'Mo-Th 14:30-18:00; PH off' }
			},
			{
				ref: 'centro-di-ascolto',
				name: 'Centro di ascolto',
				description:
					"Volontari ascoltano chi attraversa un momento difficile e cercano insieme le risorse del rione per lavoro, casa e bollette. Accesso libero negli orari di apertura, oppure su appuntamento.",
				category: 'parish',
				needs: ['listening', 'money', 'housing', 'work'],
				audiences: ['families', 'everyone'],
				accepting_new: true,
				at: { oratorio: 'Tu,Th 09:30-11:30' }
			}
		]
	},
	{
		ref: 'un-caffe-insieme',
		name: 'Associazione Un Caffè Insieme (esempio)',
		kind: 'partner',
		description: "Associazione di volontariato che cura la custodia sociale ad Acquate e al Caleotto.",
		locations: [
			{ ref: 'acquate', name: 'Saletta di Acquate', rione: 'Acquate', street: 'VIA GIUSEPPE BONAITI', number: '21' },
			{ ref: 'caleotto', name: 'Saletta del Caleotto', rione: 'Caleotto', street: 'LARGO DEL CALEOTTO', number: '2' }
		],
		services: [
			{
				ref: 'custodia-sociale',
				name: 'Custodia sociale: caffè e visite a domicilio',
				description:
					"Un posto dove gli anziani del rione passano per un caffè e due chiacchiere; i volontari telefonano e fanno visita a chi esce poco di casa. Si può segnalare un vicino che vive solo.",
				category: 'custodia',
				needs: ['elderly', 'listening', 'community'],
				audiences: ['elderly', 'disability'],
				accepting_new: true,
				at: {
					acquate: 'Mo-Fr 09:00-12:00; We 09:00-12:00,15:00-17:00; PH off',
					caleotto: 'Tu,Th,Fr 09:00-12:00; PH off'
				}
			},
			{
				ref: 'volontari-di-quartiere',
				name: 'Diventa volontario di quartiere',
				description:
					"Per chi ha qualche ora libera: compagnia, piccole commissioni, una telefonata al giorno. Un colloquio su appuntamento per conoscersi e scegliere insieme cosa fare.",
				category: 'partner',
				needs: ['volunteering', 'community'],
				audiences: ['everyone'],
				accepting_new: true,
				at: { acquate: null }
			}
		]
	},
	{
		ref: 'mani-aperte',
		name: 'Associazione Mani Aperte (esempio)',
		kind: 'partner',
		description: "Gruppo di vicini che ripara e scambia oggetti per ridurre sprechi e spese delle famiglie.",
		locations: [{ ref: 'laboratorio', name: 'Laboratorio di quartiere', rione: 'Acquate', street: 'VIA SALITA DEI BRAVI', number: '8' }],
		services: [
			{
				ref: 'repair-cafe',
				name: 'Ripariamo insieme',
				description:
					"Il secondo sabato del mese si portano piccoli elettrodomestici, biciclette e vestiti da aggiustare insieme ai volontari. È gratuito: chi sa riparare qualcosa è invitato a insegnarlo agli altri.",
				category: 'partner',
				needs: ['community', 'volunteering'],
				audiences: ['everyone'],
				accepting_new: true,
				at: { laboratorio: 'Sa[2] 09:30-12:30' }
			}
		]
	},
	{
		ref: 'servizio-famiglia-territorio',
		name: 'Servizio Famiglia e Territorio — sportelli di rione (esempio)',
		kind: 'institution',
		description:
			"Servizio sociale comunale che riceve nei rioni e coordina con i partner del patto i progetti di sostegno condiviso.",
		website: 'https://example.org/servizio-famiglia-territorio',
		locations: [
			{ ref: 'acquate', name: 'Sportello di Acquate', rione: 'Acquate', street: 'VIA FRA BERNARDINO DA ACQUATE', number: '31' },
			{ ref: 'chiuso', name: 'Sportello di Chiuso', rione: 'Chiuso', street: 'VIA INNOMINATO', number: '12' },
			{ ref: 'olate', name: 'Sportello di Olate', rione: 'Olate', street: 'VIA RENZO TRAMAGLINO', number: '5' },
			{ ref: 'santo-stefano', name: 'Sportello di Santo Stefano', rione: 'Santo Stefano', street: 'VIA SANTO STEFANO', number: '40' }
		],
		services: [
			{
				ref: 'sportello-di-rione',
				name: 'Sportello sociale di rione',
				description:
					"Assistenti sociali del Comune ascoltano la situazione, aiutano con pratiche e contributi e costruiscono con la famiglia e i partner del patto un progetto di sostegno condiviso, che parte anche da ciò che la famiglia sa fare. Accesso libero negli orari indicati, oppure su appuntamento.",
				category: 'institution',
				needs: ['listening', 'money', 'housing', 'work'],
				audiences: ['families', 'elderly', 'everyone'],
				accepting_new: true,
				at: {
					acquate: 'Tu 09:00-12:00; PH off',
					chiuso: 'Th 14:00-16:30; PH off',
					olate: 'We 09:00-12:00; PH off',
					'santo-stefano': 'Mo 14:00-16:30; Fr 09:00-12:00; PH off'
				}
			}
		]
	},

	// ----------------------------------------------------------------------------- Belledo
	{
		ref: 'bottega-di-belledo',
		name: 'Alimentari La Bottega di Belledo (esempio)',
		kind: 'shop',
		description: "Negozio di alimentari di vicinato, punto di raccolta della spesa sospesa.",
		locations: [{ ref: 'negozio', name: 'Negozio', rione: 'Belledo', street: 'VIA TONIO DA BELLEDO', number: '18' }],
		services: [
			{
				ref: 'spesa-sospesa',
				name: 'Spesa sospesa',
				description:
					"Chi fa la spesa può lasciare un prodotto pagato nella cesta all'ingresso; chi è in difficoltà lo prende liberamente. In negozio si trovano anche le informazioni sugli sportelli del rione.",
				category: 'shop',
				needs: ['food', 'community'],
				audiences: ['families', 'elderly'],
				accepting_new: true,
				at: { negozio: 'Mo-Sa 08:00-12:30,15:30-19:30; Su off; PH off' }
			}
		]
	},
	{
		ref: 'cooperativa-la-ringhiera',
		name: 'Cooperativa sociale La Ringhiera (esempio)',
		kind: 'partner',
		description: "Cooperativa sociale che gestisce il portierato sociale in tre complessi di edilizia pubblica.",
		website: 'https://example.org/la-ringhiera',
		locations: [
			{ ref: 'belledo', name: 'Portineria di Belledo', rione: 'Belledo', street: 'VIA ALLE FORNACI', number: '7' },
			{ ref: 'chiuso', name: 'Portineria di Chiuso', rione: 'Chiuso', street: 'VIA IL GRISO', number: '15' },
			{ ref: 'maggianico', name: 'Portineria di Maggianico', rione: 'Maggianico', street: 'VIA ARRIGO BOITO', number: '9' }
		],
		services: [
			{
				ref: 'portierato-sociale',
				name: 'Portierato sociale',
				description:
					"Un portiere sociale nei caseggiati: aiuta nelle piccole pratiche, tiene d'occhio chi vive solo e media nei conflitti tra vicini. Accesso libero; chi può ricambia dando una mano nelle feste di cortile.",
				category: 'custodia',
				needs: ['elderly', 'listening', 'community', 'housing'],
				audiences: ['elderly', 'disability', 'families'],
				accepting_new: true,
				at: {
					belledo: 'Mo,We,Fr 09:00-12:30; PH off',
					chiuso: 'Tu,Th 14:30-18:00; PH off',
					maggianico: 'Mo-Fr 09:00-12:00; PH off'
				}
			},
			{
				ref: 'mediazione-vicinato',
				name: 'Mediazione dei conflitti di vicinato',
				description:
					"Incontri con un mediatore per chi ha difficoltà con i vicini di casa (rumori, spazi comuni, spese condominiali). Su appuntamento, chiedendo in portineria.",
				category: 'partner',
				needs: ['housing', 'listening'],
				audiences: ['families'],
				accepting_new: null,
				at: { belledo: null }
			}
		]
	},
	{
		ref: 'centro-anziani-il-camino',
		name: 'Centro anziani Il Camino (esempio)',
		kind: 'partner',
		description: "Centro sociale per anziani gestito da volontari, con attività ogni pomeriggio.",
		locations: [{ ref: 'sede', name: 'Sede', rione: 'Belledo', street: 'VIA AL MAGLIO', number: '4' }],
		services: [
			{
				ref: 'centro-anziani',
				name: 'Pomeriggi insieme',
				description:
					"Carte, ginnastica dolce, gite e un pasto insieme il giovedì. Si entra liberamente; chi ha un talento (cucina, orto, musica) è invitato a condividerlo.",
				category: 'partner',
				needs: ['elderly', 'community'],
				audiences: ['elderly'],
				accepting_new: true,
				at: { sede: 'Mo-Sa 14:30-18:30; Su 15:00-18:00; Aug off' }
			},
			{
				ref: 'accompagnamento',
				name: 'Accompagnamento a visite e commissioni',
				description:
					"Volontari con l'auto accompagnano a visite mediche ed esami chi non può muoversi da solo. Prenotazione per telefono almeno tre giorni prima; al momento la lista d'attesa è lunga.",
				category: 'partner',
				needs: ['elderly', 'health'],
				audiences: ['elderly', 'disability'],
				accepting_new: false,
				phones: [tel('201', 'Prenotazioni accompagnamento')],
				at: { sede: null }
			}
		]
	},
	{
		ref: 'scuola-aperta-belledo',
		name: 'Comitato genitori Scuola Aperta (esempio)',
		kind: 'school',
		description: "Genitori e insegnanti che tengono aperta la scuola del rione il pomeriggio.",
		locations: [{ ref: 'scuola', name: 'Scuola primaria del rione', rione: 'Belledo', street: 'VIA DELLA FILANDA', number: '11' }],
		services: [
			{
				ref: 'scuola-aperta',
				name: 'Scuola aperta: compiti e laboratori',
				description:
					"Due pomeriggi a settimana la scuola resta aperta per i compiti e per laboratori di musica e teatro. Gratuito per gli alunni del rione; ogni famiglia offre qualche ora di aiuto nell'anno, secondo le sue possibilità.",
				category: 'school',
				needs: ['homework', 'community'],
				audiences: ['children', 'families'],
				accepting_new: true,
				at: { scuola: 'Sep-Jun: Tu,Th 16:30-18:30; Jul-Aug off' }
			}
		]
	},
	{
		ref: 'porta-aperta',
		name: 'Rete antiviolenza Porta Aperta (esempio)',
		kind: 'partner',
		description: "Associazione di donne che accoglie e accompagna le donne che subiscono violenza e i loro figli.",
		website: 'https://example.org/porta-aperta',
		locations: [
			{ ref: 'sportello', name: 'Sportello antiviolenza', rione: 'Centro', street: 'VIA CARLO CATTANEO', number: '26' },
			{ ref: 'casa-rifugio', name: 'Casa rifugio per donne (esempio)', rione: 'Belledo', confidential: true }
		],
		services: [
			{
				ref: 'sportello-antiviolenza',
				name: 'Sportello antiviolenza',
				description:
					"Operatrici e avvocate ascoltano in modo riservato e gratuito e aiutano a costruire un percorso di uscita dalla violenza. Meglio telefonare prima; si può venire anche accompagnate.",
				category: 'partner',
				needs: ['listening', 'legal'],
				audiences: ['women'],
				accepting_new: true,
				at: { sportello: 'Mo,We 09:00-13:00; Fr 14:00-18:00; PH off' }
			},
			{
				ref: 'linea-24-ore',
				name: 'Linea di ascolto 24 ore su 24',
				description:
					"Un numero sempre attivo, giorno e notte, per le donne in pericolo o che vogliono parlare di ciò che vivono. Risponde un'operatrice; la chiamata è anonima.",
				category: 'partner',
				needs: ['listening'],
				audiences: ['women'],
				accepting_new: true,
				phones: [tel('200', 'Linea 24 ore su 24')],
				at: { sportello: '24/7' }
			},
			{
				ref: 'casa-rifugio',
				name: 'Casa rifugio',
				description:
					"Ospitalità protetta per donne e bambini che devono lasciare casa per la loro sicurezza. Si accede tramite lo sportello o i servizi sociali; l'indirizzo è riservato.",
				category: 'partner',
				needs: ['housing', 'listening'],
				audiences: ['women', 'children'],
				accepting_new: null,
				at: { 'casa-rifugio': null }
			}
		]
	},

	// ----------------------------------------------------------------------------- Bonacina
	{
		ref: 'alimentari-il-sentiero',
		name: 'Alimentari Il Sentiero (esempio)',
		kind: 'shop',
		description: "L'ultimo alimentari del rione, che porta la spesa a casa a chi non può scendere in paese.",
		locations: [{ ref: 'negozio', name: 'Negozio', rione: 'Bonacina', street: 'VIA ALLA BONACINA', number: '22' }],
		services: [
			{
				ref: 'spesa-a-domicilio',
				name: 'Spesa a domicilio e spesa sospesa',
				description:
					"La spesa ordinata per telefono arriva a casa il giorno dopo, senza costi per gli anziani soli del rione. In negozio c'è anche la cesta della spesa sospesa.",
				category: 'shop',
				needs: ['food', 'elderly', 'community'],
				audiences: ['elderly', 'families'],
				accepting_new: true,
				at: { negozio: 'Mo,We,Sa 07:30-12:30; Tu,Th,Fr 07:30-12:30,16:00-19:00; PH off' }
			}
		]
	},
	{
		ref: 'vicini-di-casa',
		name: 'Associazione Vicini di Casa (esempio)',
		kind: 'partner',
		description: "Volontari della custodia sociale nei rioni di collina: Bonacina, Laorca, Rancio e Malnago.",
		website: 'https://example.org/vicini-di-casa',
		locations: [
			{ ref: 'bonacina', name: 'Punto di Bonacina', rione: 'Bonacina', street: 'VIA RESEGONE', number: '6' },
			{ ref: 'laorca', name: 'Punto di Laorca', rione: 'Laorca', street: 'VIA DEI MOLINI', number: '10' },
			{ ref: 'rancio', name: 'Punto di Rancio', rione: 'Rancio', street: 'VIA PREALPI', number: '3' },
			{ ref: 'malnago', name: 'Punto di Malnago', rione: 'Malnago', street: 'VIA AI MONTI', number: '1' }
		],
		services: [
			{
				ref: 'custodia-sociale',
				name: 'Custodia sociale nei rioni di collina',
				description:
					"Dove i negozi sono pochi e le strade ripide, i volontari fanno visita agli anziani soli, portano farmaci e spesa e tengono i contatti con il medico e i servizi. Si può telefonare o passare negli orari di apertura.",
				category: 'custodia',
				needs: ['elderly', 'listening', 'community'],
				audiences: ['elderly', 'disability'],
				accepting_new: true,
				at: {
					bonacina: 'Tu,Fr 09:00-11:30',
					laorca: 'Mo,Th 15:00-17:30; PH off',
					rancio: 'We 09:30-12:00; Sa 10:00-12:00',
					malnago: 'Tu 15:00-17:00'
				}
			},
			{
				ref: 'telefonate-di-compagnia',
				name: 'Telefonate di compagnia',
				description:
					"Una telefonata al giorno, sempre alla stessa ora, a chi vive solo. Si attiva con una chiamata, anche da parte di un familiare o di un vicino.",
				category: 'custodia',
				needs: ['listening', 'elderly', 'community'],
				audiences: ['elderly'],
				accepting_new: true,
				phones: [tel('202', 'Telefonate di compagnia')],
				at: { bonacina: 'Mo-Fr 10:00-12:00' }
			}
		]
	},
	{
		ref: 'parrocchia-bonacina',
		name: 'Comunità parrocchiale di Bonacina (esempio)',
		kind: 'parish',
		description: "Piccola parrocchia di collina con un pranzo comunitario settimanale e un doposcuola.",
		locations: [{ ref: 'oratorio', name: 'Oratorio', rione: 'Bonacina', street: "VIA SANT'EGIDIO", number: '2' }],
		services: [
			{
				ref: 'pranzo-insieme',
				name: 'Pranzo insieme del mercoledì',
				description:
					"Un pranzo semplice in compagnia per anziani e persone sole, cucinato a turno dalle famiglie del rione. Offerta libera; chi vuole si prenota la settimana prima.",
				category: 'parish',
				needs: ['elderly', 'community', 'food'],
				audiences: ['elderly'],
				accepting_new: true,
				at: { oratorio: 'We 12:00-14:30; Jul-Aug off' }
			},
			{
				ref: 'doposcuola',
				name: 'Doposcuola',
				description:
					"Un piccolo gruppo di bambini delle elementari fa i compiti con due volontarie. Iscrizione in oratorio.",
				category: 'parish',
				needs: ['homework'],
				audiences: ['children'],
				accepting_new: null,
				at: { oratorio: 'Tu,Th 14:30-17:00; PH off' }
			}
		]
	},

	// ----------------------------------------------------------------------------- Caleotto
	{
		ref: 'cartoleria-la-matita',
		name: 'Cartoleria La Matita (esempio)',
		kind: 'shop',
		description: "Cartoleria di quartiere che raccoglie materiale scolastico per le famiglie in difficoltà.",
		locations: [{ ref: 'negozio', name: 'Negozio', rione: 'Caleotto', street: 'VIA AMILCARE PONCHIELLI', number: '12' }],
		services: [
			{
				ref: 'quaderno-sospeso',
				name: 'Quaderno sospeso',
				description:
					"I clienti lasciano quaderni, penne e zaini pagati per chi non riesce a comprarli; le famiglie li ritirano in negozio, anche su segnalazione della scuola. A settembre si raccolgono anche libri usati.",
				category: 'shop',
				needs: ['homework', 'community'],
				audiences: ['children', 'families'],
				accepting_new: true,
				at: { negozio: 'Mo 15:00-19:00; Tu-Sa 08:30-12:30,15:00-19:00; PH off' }
			}
		]
	},
	{
		ref: 'emporio-la-dispensa',
		name: 'Emporio solidale La Dispensa (esempio)',
		kind: 'partner',
		description: "Emporio solidale con una sede al Caleotto e un punto di distribuzione a Germanedo.",
		website: 'https://example.org/la-dispensa',
		locations: [
			{ ref: 'caleotto', name: 'Emporio', rione: 'Caleotto', street: 'VIA GIACOMO PUCCINI', number: '5' },
			{ ref: 'germanedo', name: 'Punto di distribuzione di Germanedo', rione: 'Germanedo', street: 'VIA PALESTRO', number: '19' }
		],
		services: [
			{
				ref: 'emporio',
				name: 'Emporio solidale',
				description:
					"Un piccolo supermercato dove le famiglie inviate dai servizi o dai centri di ascolto fanno la spesa con una tessera a punti, scegliendo ciò che serve. Chi usa l'emporio è invitato a dare qualche ora come volontario al banco o in magazzino.",
				category: 'partner',
				needs: ['food', 'clothing', 'money'],
				audiences: ['families'],
				accepting_new: true,
				at: { caleotto: 'Tu 14:30-17:30; Th 09:00-12:00; Sa 09:00-12:00; PH off' }
			},
			{
				ref: 'distribuzione-alimentare',
				name: 'Punto di distribuzione alimentare',
				description:
					"Pacchi settimanali con pasta, latte, verdura e prodotti freschi recuperati dai supermercati. Serve un colloquio al centro di ascolto della parrocchia o allo sportello sociale di rione.",
				category: 'partner',
				needs: ['food'],
				audiences: ['families', 'elderly'],
				accepting_new: true,
				at: { germanedo: 'We 15:00-18:00; Sa 09:00-12:00; PH off' }
			}
		]
	},
	{
		ref: 'centro-per-le-famiglie',
		name: 'Centro per le famiglie (esempio)',
		kind: 'institution',
		description: "Servizio pubblico per genitori e bambini piccoli: spazio gioco, consulenze, gruppi.",
		website: 'https://example.org/centro-per-le-famiglie',
		locations: [{ ref: 'sede', name: 'Centro per le famiglie', rione: 'Caleotto', street: 'VIA GAETANO DONIZETTI', number: '8' }],
		services: [
			{
				ref: 'spazio-gioco',
				name: 'Spazio gioco 0–3 anni',
				description:
					"Mattine di gioco per bambini fino a tre anni con un genitore, un nonno o chi se ne prende cura, insieme a un'educatrice. Gratuito, accesso libero; è anche un modo per conoscere altre famiglie.",
				category: 'institution',
				needs: ['childcare', 'community'],
				audiences: ['children', 'families'],
				accepting_new: true,
				at: { sede: 'Sep-Jun: Mo,We,Fr 09:30-12:00; Jul-Aug off' }
			},
			{
				ref: 'consulenza-genitori',
				name: 'Consulenza ai genitori',
				description:
					"Colloqui con una psicologa o una pedagogista per i dubbi di ogni giorno sulla crescita dei figli. Su appuntamento, gratuito.",
				category: 'institution',
				needs: ['listening', 'childcare'],
				audiences: ['families'],
				accepting_new: true,
				at: { sede: 'Tu 16:00-19:00; Sa 09:30-12:30; PH off' }
			}
		]
	},
	{
		ref: 'banca-del-tempo',
		name: 'Banca del tempo Ore Preziose (esempio)',
		kind: 'partner',
		description: "Associazione in cui i soci si scambiano ore di aiuto: nessuno paga, ognuno dà ciò che sa fare.",
		locations: [{ ref: 'sede', name: 'Sede', rione: 'Caleotto', street: 'VIA ELETTROCHIMICA', number: '16' }],
		services: [
			{
				ref: 'scambio-di-tempo',
				name: 'Scambio di tempo',
				description:
					"Un'ora di stiro vale un'ora di ripetizioni o di baby-sitting: le famiglie offrono le proprie capacità e ricevono l'aiuto che serve. Iscrizione gratuita il giovedì sera.",
				category: 'partner',
				needs: ['community', 'volunteering', 'childcare'],
				audiences: ['everyone', 'families'],
				accepting_new: true,
				at: { sede: 'Th 17:00-19:00' }
			}
		]
	},
	{
		ref: 'tetto-amico',
		name: 'Associazione Tetto Amico (esempio)',
		kind: 'partner',
		description: "Associazione che accompagna chi perde la casa e gestisce un alloggio di emergenza.",
		locations: [
			{ ref: 'sportello', name: 'Sportello casa', rione: 'Pescarenico', street: 'VIA DEL BARCAIOLO', number: '6' },
			{ ref: 'alloggio', name: 'Alloggio di emergenza (esempio)', rione: 'Caleotto', confidential: true }
		],
		services: [
			{
				ref: 'sportello-casa',
				name: 'Sportello casa e accompagnamento',
				description:
					"Aiuto per chi rischia lo sfratto o cerca casa: lettura del contratto, contatti con i proprietari, domanda per i contributi all'affitto. Accesso libero negli orari indicati.",
				category: 'partner',
				needs: ['housing', 'money', 'listening'],
				audiences: ['families', 'everyone'],
				accepting_new: true,
				at: { sportello: 'Mo 15:00-18:00; Th 09:30-12:30; PH off' }
			},
			{
				ref: 'alloggio-emergenza',
				name: 'Alloggio di emergenza',
				description:
					"Posti per famiglie rimaste senza casa, per qualche settimana, mentre si cerca una soluzione stabile. Si accede solo su invio dei servizi sociali; l'indirizzo è riservato.",
				category: 'partner',
				needs: ['housing'],
				audiences: ['families', 'women', 'children'],
				accepting_new: false,
				at: { alloggio: null }
			}
		]
	},

	// ----------------------------------------------------------------------------- Castello
	{
		ref: 'edicola-il-chiosco',
		name: 'Edicola Il Chiosco (esempio)',
		kind: 'shop',
		description: "Edicola di piazza, aperta dalle sei del mattino, che fa da antenna per il rione.",
		locations: [{ ref: 'chiosco', name: 'Edicola', rione: 'Castello', street: 'VIA GIUSEPPE BOVARA', number: '1' }],
		services: [
			{
				ref: 'punto-di-ascolto',
				name: 'Punto di ascolto e informazioni',
				description:
					"L'edicolante conosce chi passa ogni mattina e si accorge se qualcuno manca: avvisa i volontari della custodia sociale e tiene i volantini dei servizi del rione. Per gli anziani, il giornale si può anche farsi portare a casa.",
				category: 'shop',
				needs: ['community', 'listening', 'elderly'],
				audiences: ['elderly', 'everyone'],
				accepting_new: true,
				at: { chiosco: 'Mo-Sa 06:00-12:30,15:00-19:00; Su 07:00-12:30' }
			}
		]
	},
	{
		ref: 'custodia-castello',
		name: 'Punto di custodia sociale Castello (esempio)',
		kind: 'custodia',
		description: "Punto di custodia sociale del rione, tenuto da volontari e da un'operatrice.",
		locations: [{ ref: 'punto', name: 'Punto di custodia', rione: 'Castello', street: 'VIA CALDONE', number: '9' }],
		services: [
			{
				ref: 'custodia-sociale',
				name: 'Custodia sociale',
				description:
					"Visite a domicilio, compagnia e aiuto con le piccole cose per anziani soli e persone con disabilità. Accesso libero; si può segnalare anche una persona che non riesce a venire.",
				category: 'custodia',
				needs: ['elderly', 'listening', 'community', 'disability'],
				audiences: ['elderly', 'disability'],
				accepting_new: true,
				at: { punto: 'Mo-Fr 09:00-12:00; PH off' }
			}
		]
	},
	{
		ref: 'parrocchia-castello',
		name: 'Comunità parrocchiale di Castello (esempio)',
		kind: 'parish',
		description: "Parrocchia con un doposcuola per i ragazzi delle medie e un guardaroba solidale.",
		locations: [{ ref: 'oratorio', name: 'Oratorio', rione: 'Castello', street: 'VIA ORATORIO SAN GIUSEPPE', number: '4' }],
		services: [
			{
				ref: 'doposcuola-medie',
				name: 'Doposcuola per le medie',
				description:
					"Studio assistito per ragazzi delle medie, con attenzione a chi ha difficoltà con l'italiano. Quest'anno i posti sono esauriti: si può chiedere di entrare in lista d'attesa.",
				category: 'parish',
				needs: ['homework', 'youth'],
				audiences: ['teens'],
				accepting_new: false,
				at: { oratorio: 'Mo-Fr 14:30-17:30; PH off' }
			},
			{
				ref: 'guardaroba',
				name: 'Guardaroba solidale',
				description:
					"Vestiti puliti e in buono stato per bambini e adulti, scelti liberamente. Chi può porta ciò che non usa più o aiuta a sistemare gli scaffali.",
				category: 'parish',
				needs: ['clothing'],
				audiences: ['families', 'children'],
				accepting_new: true,
				at: { oratorio: 'Sa 09:00-11:30; PH off' }
			}
		]
	},
	{
		ref: 'comunita-il-nido',
		name: 'Comunità mamma-bambino Il Nido (esempio)',
		kind: 'partner',
		description: "Comunità di accoglienza per mamme con bambini piccoli.",
		locations: [{ ref: 'comunita', name: 'Comunità mamma-bambino (esempio)', rione: 'Castello', confidential: true }],
		services: [
			{
				ref: 'accoglienza',
				name: 'Accoglienza mamma-bambino',
				description:
					"Accoglienza temporanea per mamme con bambini piccoli in difficoltà abitativa o familiare, con educatrici presenti ogni giorno. Si accede solo tramite i servizi sociali; l'indirizzo è riservato.",
				category: 'partner',
				needs: ['housing', 'childcare', 'listening'],
				audiences: ['women', 'children'],
				accepting_new: false,
				at: { comunita: null }
			}
		]
	},
	{
		ref: 'centro-diurno-il-glicine',
		name: 'Centro diurno Il Glicine (esempio)',
		kind: 'partner',
		description: "Centro diurno per anziani non autosufficienti, gestito da una cooperativa sociale.",
		locations: [{ ref: 'centro', name: 'Centro diurno', rione: 'Castello', street: 'VIA CASTAGNERA', number: '23' }],
		services: [
			{
				ref: 'centro-diurno',
				name: 'Centro diurno per anziani',
				description:
					"Accoglienza di giorno con pranzo, attività e assistenza per anziani che hanno bisogno di aiuto, così che i familiari possano lavorare o riposare. Ingresso dopo un colloquio; ora i posti sono tutti occupati.",
				category: 'partner',
				needs: ['elderly', 'disability', 'health'],
				audiences: ['elderly', 'disability'],
				accepting_new: false,
				at: { centro: 'Mo-Fr 08:30-17:30; PH off' }
			}
		]
	},

	// ----------------------------------------------------------------------------- Centro
	{
		ref: 'drogheria-antica-piazza',
		name: 'Drogheria Antica Piazza (esempio)',
		kind: 'shop',
		description: "Drogheria del centro che raccoglie la spesa sospesa per la mensa e l'emporio solidale.",
		locations: [{ ref: 'negozio', name: 'Negozio', rione: 'Centro', street: 'VIA ROMA', number: '47' }],
		services: [
			{
				ref: 'spesa-sospesa',
				name: 'Spesa sospesa',
				description:
					"I clienti aggiungono allo scontrino un prodotto per chi è in difficoltà; una volta a settimana i volontari lo portano all'emporio solidale. Chi ha bisogno può anche chiedere direttamente in negozio.",
				category: 'shop',
				needs: ['food', 'community'],
				audiences: ['families', 'everyone'],
				accepting_new: true,
				at: { negozio: 'Mo 15:30-19:30; Tu-Sa 08:30-12:30,15:30-19:30; PH off' }
			}
		]
	},
	{
		ref: 'libreria-le-pagine',
		name: 'Libreria Le Pagine (esempio)',
		kind: 'shop',
		description: "Libreria indipendente che promuove il libro sospeso per gli studenti.",
		locations: [{ ref: 'negozio', name: 'Libreria', rione: 'Centro', street: 'VIA ANTONIO GHISLANZONI', number: '33' }],
		services: [
			{
				ref: 'libro-sospeso',
				name: 'Libro sospeso',
				description:
					"I clienti lasciano un buono per libri scolastici e di lettura; le famiglie segnalate dalle scuole o dai servizi li ritirano in libreria. Il sabato mattina c'è una lettura ad alta voce per bambini.",
				category: 'shop',
				needs: ['homework', 'community'],
				audiences: ['children', 'teens', 'families'],
				accepting_new: true,
				at: { negozio: 'Mo 15:00-19:30; Tu-Sa 09:00-12:30,15:00-19:30; Su 10:00-12:30; PH off' }
			}
		]
	},
	{
		ref: 'custodia-centro-storico',
		name: 'Custodia sociale Centro storico (esempio)',
		kind: 'custodia',
		description: "Punto di custodia sociale per gli anziani che vivono soli nel centro storico.",
		locations: [{ ref: 'punto', name: 'Punto di custodia', rione: 'Centro', street: 'VIA DON ANTONIO MASCARI', number: '5' }],
		services: [
			{
				ref: 'custodia-sociale',
				name: 'Custodia sociale',
				description:
					"Un'operatrice e alcuni volontari tengono i contatti con gli anziani soli del centro: visite, telefonate, aiuto con ricette e bollette. Accesso libero, oppure si chiede una visita per telefono.",
				category: 'custodia',
				needs: ['elderly', 'listening', 'community'],
				audiences: ['elderly', 'disability'],
				accepting_new: true,
				at: { punto: 'Mo,We,Fr 09:00-12:00; Tu,Th 09:00-12:00,15:00-17:00; PH off' }
			}
		]
	},
	{
		ref: 'informagiovani',
		name: 'Informagiovani (esempio)',
		kind: 'institution',
		description: "Servizio comunale di informazione per i giovani su studio, lavoro e volontariato.",
		website: 'https://example.org/informagiovani',
		locations: [{ ref: 'sede', name: 'Informagiovani', rione: 'Centro', street: 'PIAZZA VENTI SETTEMBRE', number: '11' }],
		services: [
			{
				ref: 'orientamento',
				name: 'Orientamento a studio, lavoro e volontariato',
				description:
					"Informazioni su corsi, offerte di lavoro, servizio civile e volontariato, con aiuto per il curriculum. Per ragazzi dai 15 anni; accesso libero o su appuntamento.",
				category: 'institution',
				needs: ['youth', 'work', 'volunteering'],
				audiences: ['teens', 'everyone'],
				accepting_new: true,
				at: { sede: 'Mo,We,Fr 09:30-12:30; Tu,Th 09:30-12:30,14:30-17:30; PH off' }
			}
		]
	},
	{
		ref: 'ufficio-casa',
		name: 'Ufficio Casa e Abitare (esempio)',
		kind: 'institution',
		description: "Ufficio comunale per i bandi della casa e i contributi all'affitto.",
		locations: [{ ref: 'sede', name: 'Ufficio Casa', rione: 'Centro', street: 'VIA CAMILLO BENSO CONTE DI CAVOUR', number: '52' }],
		services: [
			{
				ref: 'sportello-casa',
				name: 'Sportello casa',
				description:
					"Informazioni e aiuto per le domande di casa popolare, i contributi all'affitto e le situazioni di morosità. Su appuntamento, da prenotare per telefono.",
				category: 'institution',
				needs: ['housing', 'money'],
				audiences: ['families', 'everyone'],
				accepting_new: true,
				at: { sede: 'Mo 09:00-12:00; We 14:00-16:30; PH off' }
			}
		]
	},
	{
		ref: 'il-filo-lungo',
		name: "Linea d'ascolto Il Filo Lungo (esempio)",
		kind: 'partner',
		description: "Associazione di volontari che risponde al telefono a chi si sente solo.",
		locations: [{ ref: 'centralino', name: 'Centralino', rione: 'Centro', street: 'VIA FRATELLI CAIROLI', number: '18' }],
		services: [
			{
				ref: 'telefono-di-ascolto',
				name: 'Telefono di ascolto',
				description:
					"Ogni giorno, dalla mattina alla sera, volontari formati rispondono a chi ha bisogno di parlare. La chiamata è anonima e gratuita.",
				category: 'partner',
				needs: ['listening', 'elderly'],
				audiences: ['everyone', 'elderly'],
				accepting_new: true,
				phones: [tel('203', "Linea d'ascolto")],
				at: { centralino: 'Mo-Su 08:00-22:00' }
			}
		]
	},
	{
		ref: 'cooperativa-il-ponte-lungo',
		name: 'Cooperativa sociale Il Ponte Lungo (esempio)',
		kind: 'partner',
		description: "Cooperativa di inserimento lavorativo con uno sportello in centro e un laboratorio a Pescarenico.",
		website: 'https://example.org/il-ponte-lungo',
		locations: [
			{ ref: 'sportello', name: 'Sportello lavoro', rione: 'Centro', street: 'PIAZZA GIUSEPPE GARIBALDI', number: '4' },
			{ ref: 'laboratorio', name: 'Laboratorio', rione: 'Pescarenico', street: 'VIA DEI PESCATORI', number: '27' }
		],
		services: [
			{
				ref: 'sportello-lavoro',
				name: 'Sportello lavoro',
				description:
					"Aiuto a scrivere il curriculum, cercare offerte e prepararsi ai colloqui, con orientamento ai corsi. Su appuntamento; chi trova lavoro è invitato a raccontare la sua esperienza ai nuovi iscritti.",
				category: 'partner',
				needs: ['work'],
				audiences: ['everyone', 'migrants', 'women'],
				accepting_new: true,
				at: { sportello: 'Mo 14:00-17:00; Th 09:00-12:00; PH off' }
			},
			{
				ref: 'laboratorio-tirocini',
				name: 'Laboratorio e tirocini',
				description:
					"Piccoli lavori di assemblaggio e confezionamento in cui persone con disabilità o fuori dal lavoro da tempo imparano un mestiere. Si entra con un tirocinio proposto dai servizi; per ora non ci sono posti liberi.",
				category: 'partner',
				needs: ['work', 'disability'],
				audiences: ['disability', 'everyone'],
				accepting_new: false,
				at: { laboratorio: 'Mo-Fr 08:30-12:30,13:30-16:30; Aug off; PH off' }
			}
		]
	},
	{
		ref: 'parole-insieme',
		name: 'Scuola di italiano Parole Insieme (esempio)',
		kind: 'partner',
		description: "Scuola di italiano per stranieri tenuta da insegnanti volontari, in centro e a San Giovanni.",
		locations: [
			{ ref: 'centro', name: 'Aule del centro', rione: 'Centro', street: 'VIA CARLO CATTANEO', number: '9' },
			{ ref: 'san-giovanni', name: 'Aule di San Giovanni', rione: 'San Giovanni', street: 'VIA ALLA FONTANA', number: '14' }
		],
		services: [
			{
				ref: 'corsi-di-italiano',
				name: 'Corsi di italiano',
				description:
					"Corsi gratuiti di italiano per adulti, dal primo livello alla preparazione dell'esame. Iscrizione con un breve test; i corsi serali del centro sono pieni, quelli del mattino a San Giovanni hanno ancora posto.",
				category: 'partner',
				needs: ['language'],
				audiences: ['migrants'],
				accepting_new: true,
				at: {
					centro: 'Sep-Jun: Tu,Th 18:30-20:30; Jul-Aug off',
					'san-giovanni': 'Sep-Jun: Mo,We 09:00-11:00; Jul-Aug off'
				}
			},
			{
				ref: 'italiano-per-donne',
				name: 'Italiano per donne, con spazio bimbi',
				description:
					"Un corso per mamme e donne straniere, mentre i bambini piccoli giocano nella stanza accanto con due volontarie. Si impara la lingua di tutti i giorni: scuola, medico, negozi; le donne che già parlano bene aiutano le nuove arrivate.",
				category: 'partner',
				needs: ['language', 'childcare'],
				audiences: ['women', 'migrants', 'children'],
				accepting_new: true,
				at: { 'san-giovanni': 'Tu,Fr 09:00-11:00; PH off' }
			}
		]
	},
	{
		ref: 'mensa-la-tavola',
		name: 'Mensa solidale La Tavola (esempio)',
		kind: 'partner',
		description: "Mensa gestita da volontari che offre un pasto caldo a pranzo.",
		locations: [{ ref: 'mensa', name: 'Mensa', rione: 'Centro', street: 'VIA FRATELLI CAIROLI', number: '40' }],
		services: [
			{
				ref: 'pranzo',
				name: 'Pranzo solidale',
				description:
					"Un pasto caldo a pranzo per chi è solo o in difficoltà, servito al tavolo dai volontari. Si accede con una tessera rilasciata dai centri di ascolto; chi può aiuta in cucina o a sparecchiare.",
				category: 'partner',
				needs: ['food', 'community'],
				audiences: ['everyone'],
				accepting_new: true,
				at: { mensa: 'Mo-Sa 11:45-13:30; Su 12:00-13:30' }
			}
		]
	},
	{
		ref: 'diritti-in-piazza',
		name: 'Sportello legale Diritti in Piazza (esempio)',
		kind: 'partner',
		description: "Avvocati volontari che offrono una prima consulenza gratuita.",
		locations: [{ ref: 'sportello', name: 'Sportello', rione: 'Centro', street: 'PIAZZA MARIO CERMENATI', number: '2' }],
		services: [
			{
				ref: 'consulenza-legale',
				name: 'Prima consulenza legale gratuita',
				description:
					"Sfratti, contratti di lavoro, permessi di soggiorno, debiti: un avvocato volontario ascolta e spiega che cosa si può fare. Su appuntamento, il primo e il terzo mercoledì del mese.",
				category: 'partner',
				needs: ['legal', 'housing', 'work'],
				audiences: ['migrants', 'families', 'everyone'],
				accepting_new: true,
				at: { sportello: 'We[1,3] 17:00-19:00' }
			}
		]
	},

	// ----------------------------------------------------------------------------- Chiuso
	{
		ref: 'minimarket-al-confine',
		name: 'Minimarket Al Confine (esempio)',
		kind: 'shop',
		description: "Minimarket di quartiere aperto anche la domenica mattina.",
		locations: [{ ref: 'negozio', name: 'Minimarket', rione: 'Chiuso', street: 'VIA DEI MARCHESINI', number: '30' }],
		services: [
			{
				ref: 'spesa-sospesa',
				name: 'Spesa sospesa',
				description:
					"Nella cesta vicino alla cassa ci sono prodotti lasciati dai clienti per chi ne ha bisogno; si prendono liberamente. Il negozio espone gli orari degli sportelli del rione.",
				category: 'shop',
				needs: ['food', 'community'],
				audiences: ['families', 'everyone'],
				accepting_new: true,
				at: { negozio: 'Mo-Sa 07:30-13:00,15:30-19:30; Su 08:00-12:30; PH off' }
			}
		]
	},
	{
		ref: 'parrocchia-chiuso',
		name: 'Comunità parrocchiale di Chiuso (esempio)',
		kind: 'parish',
		description: "Parrocchia con un centro di ascolto e una distribuzione mensile di viveri.",
		locations: [{ ref: 'casa-parrocchiale', name: 'Casa parrocchiale', rione: 'Chiuso', street: 'VIA INNOMINATO', number: '2' }],
		services: [
			{
				ref: 'centro-di-ascolto',
				name: 'Centro di ascolto',
				description:
					"Ascolto e orientamento per chi è in difficoltà con il lavoro, le bollette o la casa. Accesso libero negli orari di apertura.",
				category: 'parish',
				needs: ['listening', 'money', 'work'],
				audiences: ['families', 'everyone'],
				accepting_new: true,
				at: { 'casa-parrocchiale': 'We 15:00-17:30; Sa 09:30-11:30; PH off' }
			},
			{
				ref: 'distribuzione-viveri',
				name: 'Distribuzione viveri',
				description:
					"Il primo e il terzo giovedì del mese si distribuiscono pacchi alimentari alle famiglie conosciute dal centro di ascolto. Chi riceve il pacco, se può, aiuta a prepararli.",
				category: 'parish',
				needs: ['food'],
				audiences: ['families'],
				accepting_new: true,
				at: { 'casa-parrocchiale': 'Th[1,3] 15:00-17:00' }
			}
		]
	},
	{
		ref: 'compiti-insieme',
		name: 'Associazione Compiti Insieme (esempio)',
		kind: 'school',
		description: "Agenzia educativa che organizza spazi compiti a Germanedo e a Chiuso.",
		website: 'https://example.org/compiti-insieme',
		locations: [
			{ ref: 'germanedo', name: 'Spazio compiti di Germanedo', rione: 'Germanedo', street: 'VIA BELFIORE', number: '12' },
			{ ref: 'chiuso', name: 'Spazio compiti di Chiuso', rione: 'Chiuso', street: 'VIA IL GRISO', number: '4' }
		],
		services: [
			{
				ref: 'spazio-compiti',
				name: 'Spazio compiti',
				description:
					"Educatori e studenti universitari volontari aiutano bambini e ragazzi a fare i compiti e a organizzarsi nello studio. Iscrizione dopo un colloquio con la famiglia; ai genitori si chiede di passare almeno una volta al mese per fare il punto.",
				category: 'school',
				needs: ['homework', 'youth'],
				audiences: ['children', 'teens'],
				accepting_new: true,
				at: {
					germanedo: 'Mo-Fr 15:00-18:30; PH off',
					chiuso: 'Sep-Jun: Mo,We,Fr 14:30-17:30; Jul-Aug off'
				}
			}
		]
	},
	{
		ref: 'ponti-di-culture',
		name: 'Associazione Ponti di Culture (esempio)',
		kind: 'partner',
		description: "Mediatrici e mediatori culturali che accompagnano le famiglie straniere.",
		locations: [{ ref: 'sede', name: 'Sede', rione: 'Chiuso', street: 'VIA SAN MARTINO', number: '8' }],
		services: [
			{
				ref: 'mediazione-culturale',
				name: 'Mediazione culturale e aiuto con i documenti',
				description:
					"Mediatori che parlano arabo, albanese, urdu e wolof aiutano a capire lettere, moduli e incontri con scuola e servizi. Su appuntamento il lunedì sera.",
				category: 'partner',
				needs: ['language', 'legal', 'listening'],
				audiences: ['migrants', 'families'],
				accepting_new: true,
				at: { sede: 'Mo 17:00-19:00 "su appuntamento"' }
			}
		]
	},

	// ----------------------------------------------------------------------------- Germanedo
	{
		ref: 'forno-la-spiga',
		name: 'Forno La Spiga (esempio)',
		kind: 'shop',
		description: "Forno di Germanedo che aderisce al patto con il pane sospeso.",
		locations: [{ ref: 'negozio', name: 'Forno', rione: 'Germanedo', street: 'VIA MONTELLO', number: '7' }],
		services: [
			{
				ref: 'pane-sospeso',
				name: 'Pane sospeso',
				description:
					"Pane e focaccia pagati dai clienti per chi ne ha bisogno, da chiedere al banco senza spiegazioni. A fine giornata l'invenduto va al punto di distribuzione del rione.",
				category: 'shop',
				needs: ['food', 'community'],
				audiences: ['families', 'everyone'],
				accepting_new: true,
				at: { negozio: 'Mo-Sa 07:00-13:00,16:00-19:00; Su off; PH off' }
			}
		]
	},
	{
		ref: 'nonni-e-nipoti',
		name: 'Associazione Nonni e Nipoti (esempio)',
		kind: 'partner',
		description: "Anziani attivi che fanno custodia sociale e accompagnano i bambini a scuola.",
		locations: [{ ref: 'sede', name: 'Sede', rione: 'Germanedo', street: 'VIA CAVAGNA', number: '3' }],
		services: [
			{
				ref: 'custodia-sociale',
				name: 'Custodia sociale',
				description:
					"Volontari anziani fanno visita ai coetanei soli, li accompagnano a fare la spesa e avvisano i servizi se qualcosa non va. Accesso libero; una visita si può chiedere anche per telefono.",
				category: 'custodia',
				needs: ['elderly', 'listening', 'community'],
				audiences: ['elderly', 'disability'],
				accepting_new: true,
				at: { sede: 'Mo,We,Fr 09:00-12:00; Tu 15:00-17:00; PH off' }
			},
			{
				ref: 'nonni-di-quartiere',
				name: 'Nonni di quartiere',
				description:
					"Ogni mattina i nonni volontari accompagnano a piedi a scuola i bambini del rione. Le famiglie si iscrivono in sede; chi può ricambia con un passaggio o un dolce per la festa di fine anno.",
				category: 'partner',
				needs: ['childcare', 'community', 'volunteering'],
				audiences: ['children', 'elderly'],
				accepting_new: true,
				at: { sede: 'Sep-Jun: Mo-Fr 07:45-08:30; Jul-Aug off' }
			}
		]
	},
	{
		ref: 'parrocchia-germanedo',
		name: 'Comunità parrocchiale di Germanedo (esempio)',
		kind: 'parish',
		description: "Parrocchia con oratorio, doposcuola per le elementari e centro di ascolto.",
		locations: [{ ref: 'oratorio', name: 'Oratorio', rione: 'Germanedo', street: 'VIA RESEGONE', number: '41' }],
		services: [
			{
				ref: 'doposcuola',
				name: "Doposcuola dell'oratorio",
				description:
					"Ogni pomeriggio i bambini delle elementari fanno merenda e i compiti con educatori e volontari. Iscrizione in oratorio con un genitore; le famiglie si alternano per la merenda.",
				category: 'parish',
				needs: ['homework', 'youth'],
				audiences: ['children'],
				accepting_new: true,
				at: { oratorio: 'Mo-Fr 14:30-18:30; PH off' }
			},
			{
				ref: 'centro-di-ascolto',
				name: 'Centro di ascolto',
				description:
					"Volontari ascoltano e orientano chi è in difficoltà e rilasciano la tessera per il punto di distribuzione alimentare del rione. Accesso libero negli orari indicati.",
				category: 'parish',
				needs: ['listening', 'money', 'food'],
				audiences: ['families', 'everyone'],
				accepting_new: true,
				at: { oratorio: 'Tu 15:00-17:00; Sa 10:00-12:00' }
			}
		]
	},
	{
		ref: 'ludoteca-il-trenino',
		name: 'Ludoteca Il Trenino (esempio)',
		kind: 'partner',
		description: "Ludoteca di quartiere per bambini e genitori.",
		locations: [{ ref: 'ludoteca', name: 'Ludoteca', rione: 'Germanedo', street: 'VIA BELFIORE', number: '30' }],
		services: [
			{
				ref: 'ludoteca',
				name: 'Ludoteca e prestito giochi',
				description:
					"Giochi, letture e laboratori per bambini dai 3 ai 10 anni con i loro genitori, e prestito gratuito di giochi da portare a casa. Accesso libero; i genitori possono proporre un laboratorio.",
				category: 'partner',
				needs: ['childcare', 'community'],
				audiences: ['children', 'families'],
				accepting_new: true,
				at: { ludoteca: 'Tu-Fr 16:00-18:30; Sa 10:00-12:00; Aug off' }
			}
		]
	},

	// ----------------------------------------------------------------------------- Laorca
	{
		ref: 'bottega-di-laorca',
		name: 'Bottega di Laorca (esempio)',
		kind: 'shop',
		description: "Alimentari e punto di ritiro per i residenti della valle.",
		locations: [{ ref: 'negozio', name: 'Bottega', rione: 'Laorca', street: 'VIA VALSASSINA', number: '56' }],
		services: [
			{
				ref: 'spesa-e-ritiro',
				name: 'Spesa sospesa e ritiro farmaci',
				description:
					"Oltre alla spesa sospesa, la bottega ritira in farmacia i medicinali per gli anziani del rione che non possono scendere. Basta lasciare la ricetta al banco.",
				category: 'shop',
				needs: ['food', 'elderly', 'community'],
				audiences: ['elderly', 'families'],
				accepting_new: true,
				at: { negozio: 'Mo,Tu,Th,Fr 07:30-12:30,16:00-19:00; We,Sa 07:30-12:30; PH off' }
			}
		]
	},
	{
		ref: 'sentieri-e-comunita',
		name: 'Associazione Sentieri e Comunità (esempio)',
		kind: 'partner',
		description: "Associazione che organizza camminate di gruppo per anziani e famiglie.",
		locations: [{ ref: 'ritrovo', name: 'Punto di ritrovo', rione: 'Laorca', street: 'VIA CAPOLINO', number: '2' }],
		services: [
			{
				ref: 'gruppo-di-cammino',
				name: 'Gruppo di cammino',
				description:
					"Passeggiate di un'ora, al passo di tutti, per restare in forma e in compagnia. Partecipazione gratuita, basta presentarsi al ritrovo con scarpe comode.",
				category: 'partner',
				needs: ['elderly', 'health', 'community'],
				audiences: ['elderly', 'everyone'],
				accepting_new: true,
				at: { ritrovo: 'Apr-Oct: Tu,Fr 09:00-11:00; Nov-Mar: Fr 10:00-11:30' }
			}
		]
	},
	{
		ref: 'parrocchia-laorca',
		name: 'Comunità parrocchiale di Laorca (esempio)',
		kind: 'parish',
		description: "Parrocchia di rione con un doposcuola per le elementari.",
		locations: [{ ref: 'oratorio', name: 'Oratorio', rione: 'Laorca', street: 'VIA ALLA GRIGNA', number: '5' }],
		services: [
			{
				ref: 'doposcuola',
				name: 'Doposcuola',
				description:
					"Compiti e giochi in oratorio per i bambini delle elementari, con volontari e ragazzi più grandi. Iscrizione in oratorio all'inizio dell'anno scolastico.",
				category: 'parish',
				needs: ['homework', 'youth'],
				audiences: ['children'],
				accepting_new: null,
				at: { oratorio: 'Tu,Th 14:30-17:00; PH off' }
			}
		]
	},

	// ----------------------------------------------------------------------------- Maggianico
	{
		ref: 'frutta-e-verdura-l-orto',
		name: "Frutta e verdura L'Orto (esempio)",
		kind: 'shop',
		description: "Fruttivendolo di quartiere che partecipa al patto con la cassetta sospesa.",
		locations: [{ ref: 'negozio', name: 'Negozio', rione: 'Maggianico', street: 'VIA ALESSIO DI MAGGIANICO', number: '20' }],
		services: [
			{
				ref: 'cassetta-sospesa',
				name: 'Cassetta sospesa',
				description:
					"I clienti pagano una cassetta di frutta e verdura di stagione per una famiglia in difficoltà; le cassette si ritirano in negozio con il nome lasciato dal centro di ascolto o dallo sportello sociale.",
				category: 'shop',
				needs: ['food', 'community'],
				audiences: ['families'],
				accepting_new: true,
				at: { negozio: 'Mo-Sa 08:00-13:00,16:00-19:30; PH off' }
			}
		]
	},
	{
		ref: 'parrocchia-maggianico',
		name: 'Comunità parrocchiale di Maggianico (esempio)',
		kind: 'parish',
		description: "Parrocchia con doposcuola durante l'anno scolastico e oratorio estivo.",
		locations: [{ ref: 'oratorio', name: 'Oratorio', rione: 'Maggianico', street: 'VIA ALLA SPIAGGIA', number: '3' }],
		services: [
			{
				ref: 'doposcuola',
				name: 'Doposcuola',
				description:
					"Da settembre a giugno, aiuto nei compiti per elementari e medie con educatori e volontari. Iscrizione in oratorio; le famiglie contribuiscono con un'offerta libera o qualche ora di aiuto.",
				category: 'parish',
				needs: ['homework', 'youth'],
				audiences: ['children', 'teens'],
				accepting_new: true,
				at: { oratorio: 'Sep-Jun: Mo-Fr 14:30-18:00; Jul-Aug off' }
			},
			{
				ref: 'oratorio-estivo',
				name: 'Oratorio estivo',
				description:
					"Giornate di giochi, gite e laboratori per bambini e ragazzi nelle settimane dopo la scuola. Quota ridotta o gratuita per le famiglie segnalate dai servizi; i ragazzi più grandi fanno da animatori.",
				category: 'parish',
				needs: ['childcare', 'youth', 'community'],
				audiences: ['children', 'teens'],
				accepting_new: true,
				at: { oratorio: 'Jun 15-Jul 31 Mo-Fr 08:30-17:00' }
			}
		]
	},
	{
		ref: 'circolo-la-pergola',
		name: 'Circolo anziani La Pergola (esempio)',
		kind: 'partner',
		description: "Circolo ricreativo per anziani con bocce, carte e una piccola biblioteca.",
		locations: [{ ref: 'circolo', name: 'Circolo', rione: 'Maggianico', street: 'VIA GIOACHINO ROSSINI', number: '12' }],
		services: [
			{
				ref: 'circolo',
				name: 'Circolo ricreativo',
				description:
					"Un luogo di ritrovo per chi vuole passare il pomeriggio in compagnia: bocce, carte, tombola, gite. Tessera annuale a offerta libera; i soci più giovani aiutano quelli che non guidano.",
				category: 'partner',
				needs: ['elderly', 'community'],
				audiences: ['elderly'],
				accepting_new: true,
				at: { circolo: 'Mo-Su 14:00-18:00' }
			}
		]
	},

	// ----------------------------------------------------------------------------- Malnago
	{
		ref: 'bar-alimentari-il-crocevia',
		name: 'Bar-alimentari Il Crocevia (esempio)',
		kind: 'shop',
		description: "Bar con alimentari, unico punto di ritrovo del rione.",
		locations: [{ ref: 'bar', name: 'Bar-alimentari', rione: 'Malnago', street: 'VIA ALLA CASTAGNA', number: '2' }],
		services: [
			{
				ref: 'caffe-sospeso',
				name: 'Caffè sospeso e punto di ritrovo',
				description:
					"Caffè e spesa sospesi per chi è in difficoltà, e un tavolo sempre libero per chi cerca compagnia. Qui si trovano gli orari dei volontari della custodia sociale.",
				category: 'shop',
				needs: ['community', 'food', 'listening'],
				audiences: ['elderly', 'everyone'],
				accepting_new: true,
				at: { bar: 'Mo,Tu,Th-Sa 06:30-20:00; Su 07:00-13:00' }
			}
		]
	},
	{
		ref: 'orti-di-malnago',
		name: 'Associazione Orti di Malnago (esempio)',
		kind: 'partner',
		description: "Orti sociali coltivati insieme da anziani, famiglie e ragazzi.",
		locations: [{ ref: 'orti', name: 'Orti sociali', rione: 'Malnago', street: 'LOCALITÀ MALNAGO', number: '9' }],
		services: [
			{
				ref: 'orti-sociali',
				name: 'Orti sociali',
				description:
					"Chi vuole un pezzetto di terra lo chiede in orto il sabato mattina e si impegna in qualche ora di lavoro comune; il raccolto in più va all'emporio solidale. Gli anziani esperti insegnano ai nuovi.",
				category: 'partner',
				needs: ['community', 'food', 'volunteering', 'elderly'],
				audiences: ['everyone', 'elderly', 'families'],
				accepting_new: null,
				at: { orti: 'Apr-Oct: Tu,Th,Sa 08:00-12:00; Nov-Mar: Sa 09:00-11:00' }
			}
		]
	},

	// ----------------------------------------------------------------------------- Olate
	{
		ref: 'gastronomia-il-mestolo',
		name: 'Gastronomia Il Mestolo (esempio)',
		kind: 'shop',
		description: "Gastronomia di quartiere che aderisce al patto con il piatto sospeso.",
		locations: [{ ref: 'negozio', name: 'Gastronomia', rione: 'Olate', street: 'VIA LUCIA MONDELLA', number: '16' }],
		services: [
			{
				ref: 'piatto-sospeso',
				name: 'Piatto sospeso',
				description:
					"I clienti pagano un piatto pronto in più; anziani soli e famiglie in difficoltà lo ritirano a pranzo chiedendo al banco. Su richiesta dei volontari, la gastronomia lo porta anche a casa.",
				category: 'shop',
				needs: ['food', 'elderly'],
				audiences: ['elderly', 'families'],
				accepting_new: true,
				at: { negozio: 'Tu-Sa 08:30-13:00,16:30-19:30; Su 09:00-12:30; PH off' }
			}
		]
	},
	{
		ref: 'custodia-il-campanello',
		name: 'Punto di custodia sociale Il Campanello (esempio)',
		kind: 'custodia',
		description: "Punto di custodia sociale di Olate, tenuto da volontari del rione.",
		locations: [{ ref: 'punto', name: 'Punto di custodia', rione: 'Olate', street: 'VIA PERPETUA', number: '6' }],
		services: [
			{
				ref: 'custodia-sociale',
				name: 'Custodia sociale',
				description:
					"Un campanello a cui suonare: i volontari ascoltano, fanno visita a chi non esce più di casa e tengono i contatti con i servizi. Accesso libero negli orari indicati.",
				category: 'custodia',
				needs: ['elderly', 'listening', 'community'],
				audiences: ['elderly', 'disability'],
				accepting_new: true,
				at: { punto: 'Mo,Tu,Th,Fr 09:00-12:00; We 15:00-17:00; PH off' }
			}
		]
	},
	{
		ref: 'parrocchia-olate',
		name: 'Comunità parrocchiale di Olate (esempio)',
		kind: 'parish',
		description: "Parrocchia con doposcuola e un gruppo di sostegno tra famiglie.",
		locations: [{ ref: 'oratorio', name: 'Oratorio', rione: 'Olate', street: 'VIA AGNESE MONDELLA', number: '2' }],
		services: [
			{
				ref: 'doposcuola',
				name: 'Doposcuola',
				description:
					"Tre pomeriggi a settimana, compiti e merenda per bambini delle elementari con volontari. Iscrizione in oratorio; chi può porta la merenda per tutti una volta al mese.",
				category: 'parish',
				needs: ['homework'],
				audiences: ['children'],
				accepting_new: true,
				at: { oratorio: 'Mo,We,Fr 14:30-17:30; PH off' }
			},
			{
				ref: 'gruppo-famiglie',
				name: 'Gruppo famiglie',
				description:
					"Una domenica al mese le famiglie si incontrano per condividere fatiche e risorse, mentre i bambini giocano in oratorio. Aperto a tutti, senza iscrizione.",
				category: 'parish',
				needs: ['listening', 'community'],
				audiences: ['families'],
				accepting_new: true,
				at: { oratorio: 'Su[2] 15:30-18:00' }
			}
		]
	},

	// ----------------------------------------------------------------------------- Pescarenico
	{
		ref: 'alimentari-il-barcaiolo',
		name: 'Alimentari Il Barcaiolo (esempio)',
		kind: 'shop',
		description: "Alimentari storico del borgo, punto di raccolta della spesa sospesa.",
		locations: [{ ref: 'negozio', name: 'Negozio', rione: 'Pescarenico', street: 'PIAZZA PADRE CRISTOFORO', number: '3' }],
		services: [
			{
				ref: 'spesa-sospesa',
				name: 'Spesa sospesa',
				description:
					"Prodotti lasciati dai clienti per le famiglie in difficoltà, da chiedere alla cassa. Il negoziante conosce il borgo e segnala alla portineria sociale chi ha bisogno di una mano.",
				category: 'shop',
				needs: ['food', 'community'],
				audiences: ['families', 'elderly'],
				accepting_new: true,
				at: { negozio: 'Tu-Sa 08:00-12:30,16:00-19:00; PH off' }
			}
		]
	},
	{
		ref: 'portineria-pescarenico',
		name: 'Portineria sociale di Pescarenico (esempio)',
		kind: 'custodia',
		description: "Portineria sociale del borgo di Pescarenico.",
		locations: [{ ref: 'portineria', name: 'Portineria', rione: 'Pescarenico', street: 'VIA DEI PESCATORI', number: '8' }],
		services: [
			{
				ref: 'custodia-sociale',
				name: 'Custodia sociale e piccoli servizi',
				description:
					"Ritiro di pacchi e ricette, aiuto con le prenotazioni, una presenza amica per gli anziani del borgo e per chi ha una disabilità. Accesso libero; in cambio si chiede, a chi può, di tenere d'occhio un vicino.",
				category: 'custodia',
				needs: ['elderly', 'community', 'listening', 'disability'],
				audiences: ['elderly', 'disability'],
				accepting_new: true,
				at: { portineria: 'Mo,We,Fr 08:30-12:30; Tu,Th 08:30-12:30,14:30-17:00; PH off' }
			}
		]
	},
	{
		ref: 'spazio-giovani-la-darsena',
		name: 'Spazio giovani La Darsena (esempio)',
		kind: 'partner',
		description: "Spazio di aggregazione per adolescenti con educatori.",
		locations: [{ ref: 'spazio', name: 'Spazio giovani', rione: 'Pescarenico', street: 'VIA GONDOLA', number: '5' }],
		services: [
			{
				ref: 'spazio-giovani',
				name: 'Spazio giovani',
				description:
					"Musica, giochi, progetti di volontariato nel quartiere ed educatori con cui parlare, per ragazzi dai 14 ai 19 anni. Accesso libero; i ragazzi gestiscono insieme il bar dello spazio.",
				category: 'partner',
				needs: ['youth', 'community', 'volunteering'],
				audiences: ['teens'],
				accepting_new: true,
				at: { spazio: 'Tu-Fr 15:00-19:00; Sa 15:00-22:00; PH off' }
			}
		]
	},

	// ----------------------------------------------------------------------------- Rancio
	{
		ref: 'bottega-il-pianerottolo',
		name: 'Bottega Il Pianerottolo (esempio)',
		kind: 'shop',
		description: "Alimentari ed edicola di Rancio, con consegna a domicilio.",
		locations: [{ ref: 'negozio', name: 'Bottega', rione: 'Rancio', street: 'VIA GIUSEPPE RESINELLI', number: '13' }],
		services: [
			{
				ref: 'spesa-a-domicilio',
				name: 'Spesa a domicilio e spesa sospesa',
				description:
					"La spesa si ordina al telefono e arriva a casa due volte a settimana; per chi è in difficoltà c'è la cesta della spesa sospesa. Il negozio fa anche da punto di contatto per i volontari del rione.",
				category: 'shop',
				needs: ['food', 'elderly', 'community'],
				audiences: ['elderly', 'families'],
				accepting_new: true,
				at: { negozio: 'Mo-Sa 07:30-12:30,15:30-19:00; PH off' }
			}
		]
	},
	{
		ref: 'genitori-in-cammino',
		name: 'Associazione Genitori in Cammino (esempio)',
		kind: 'partner',
		description: "Associazione di genitori che si sostengono a vicenda.",
		locations: [{ ref: 'sede', name: 'Sede', rione: 'Rancio', street: 'VIA DEL ROCCOLO', number: '4' }],
		services: [
			{
				ref: 'mutuo-aiuto',
				name: 'Gruppo di mutuo aiuto per genitori',
				description:
					"Genitori che vivono fatiche simili (separazioni, figli adolescenti, disabilità) si incontrano con una facilitatrice. Gratuito e riservato; ciascuno porta la propria esperienza.",
				category: 'partner',
				needs: ['listening', 'community'],
				audiences: ['families'],
				accepting_new: true,
				at: { sede: 'Mo[1,3] 20:30-22:00' }
			},
			{
				ref: 'scambio-vestiti',
				name: 'Scambio di vestiti per bambini',
				description:
					"Vestiti, scarpe e passeggini che i bambini non usano più passano a un'altra famiglia. Si porta ciò che si può e si prende ciò che serve.",
				category: 'partner',
				needs: ['clothing'],
				audiences: ['families', 'children'],
				accepting_new: true,
				at: { sede: 'Sa 09:30-12:00; Jul-Aug off' }
			}
		]
	},
	{
		ref: 'parrocchia-rancio',
		name: 'Comunità parrocchiale di Rancio (esempio)',
		kind: 'parish',
		description: "Parrocchia di rione con un piccolo centro di ascolto.",
		locations: [{ ref: 'casa-parrocchiale', name: 'Casa parrocchiale', rione: 'Rancio', street: 'VIA MONTE SPLUGA', number: '1' }],
		services: [
			{
				ref: 'centro-di-ascolto',
				name: 'Centro di ascolto',
				description:
					"Due volontarie ascoltano chi ha bisogno e lo accompagnano verso i servizi e gli altri partner del patto. Accesso libero il venerdì pomeriggio, o su appuntamento.",
				category: 'parish',
				needs: ['listening', 'money'],
				audiences: ['families', 'everyone'],
				accepting_new: true,
				at: { 'casa-parrocchiale': 'Fr 15:00-17:00; PH off' }
			}
		]
	},

	// ----------------------------------------------------------------------------- San Giovanni
	{
		ref: 'ferramenta-il-bullone',
		name: 'Ferramenta Il Bullone (esempio)',
		kind: 'shop',
		description: "Ferramenta di quartiere che offre piccole riparazioni agli anziani soli.",
		locations: [{ ref: 'negozio', name: 'Ferramenta', rione: 'San Giovanni', street: 'VIA PAPA GIOVANNI VENTITREESIMO', number: '25' }],
		services: [
			{
				ref: 'piccole-riparazioni',
				name: 'Piccole riparazioni a domicilio',
				description:
					"Una lampadina, un rubinetto, una serratura: per anziani soli e persone con disabilità il ferramenta passa a casa gratis, pagando solo il materiale. Si chiede in negozio o ai volontari della custodia sociale.",
				category: 'shop',
				needs: ['elderly', 'community'],
				audiences: ['elderly', 'disability'],
				accepting_new: true,
				at: { negozio: 'Mo 15:00-19:00; Tu-Sa 08:30-12:30,15:00-19:00; PH off' }
			}
		]
	},
	{
		ref: 'custodia-san-giovanni',
		name: 'Punto di custodia sociale San Giovanni (esempio)',
		kind: 'custodia',
		description: "Punto di custodia sociale del rione San Giovanni.",
		locations: [{ ref: 'punto', name: 'Punto di custodia', rione: 'San Giovanni', street: 'VIA GIACOMO LEOPARDI', number: '10' }],
		services: [
			{
				ref: 'custodia-sociale',
				name: 'Custodia sociale',
				description:
					"Volontari e un'operatrice conoscono gli anziani del rione, li visitano e li aiutano a restare a casa propria il più a lungo possibile. Accesso libero, oppure una telefonata.",
				category: 'custodia',
				needs: ['elderly', 'listening', 'community'],
				audiences: ['elderly', 'disability'],
				accepting_new: true,
				at: { punto: 'Mo,Tu,We,Fr 09:30-12:00; Th 09:30-12:00,15:00-17:30; PH off' }
			}
		]
	},
	{
		ref: 'parrocchia-san-giovanni',
		name: 'Comunità parrocchiale di San Giovanni (esempio)',
		kind: 'parish',
		description: "Parrocchia con doposcuola e centro di ascolto in oratorio.",
		locations: [{ ref: 'oratorio', name: 'Oratorio', rione: 'San Giovanni', street: "VIA DELL'EREMO", number: '3' }],
		services: [
			{
				ref: 'doposcuola',
				name: 'Doposcuola',
				description:
					"Compiti e studio per elementari e medie, con un'attenzione particolare ai ragazzi arrivati da poco in Italia. Iscrizione in oratorio con un genitore.",
				category: 'parish',
				needs: ['homework', 'youth', 'language'],
				audiences: ['children', 'teens', 'migrants'],
				accepting_new: null,
				at: { oratorio: 'Mo-Th 14:30-17:30; PH off' }
			},
			{
				ref: 'centro-di-ascolto',
				name: 'Centro di ascolto',
				description:
					"Ascolto, orientamento e piccoli aiuti economici per bollette e spese scolastiche, dentro un progetto condiviso con la famiglia. Accesso libero negli orari indicati.",
				category: 'parish',
				needs: ['listening', 'money', 'housing'],
				audiences: ['families', 'everyone'],
				accepting_new: true,
				at: { oratorio: 'Mo 09:30-11:30; Th 17:00-19:00' }
			}
		]
	},
	{
		ref: 'passo-dopo-passo',
		name: 'Associazione Passo Dopo Passo (esempio)',
		kind: 'partner',
		description: "Associazione di famiglie di persone con disabilità.",
		locations: [{ ref: 'sede', name: 'Sede', rione: 'San Giovanni', street: 'VIA TRIESTE', number: '17' }],
		services: [
			{
				ref: 'tempo-libero',
				name: 'Tempo libero insieme',
				description:
					"Laboratori, uscite e sport per ragazzi e giovani con disabilità, insieme a coetanei volontari. Iscrizione dopo un incontro con la famiglia.",
				category: 'partner',
				needs: ['disability', 'youth', 'community'],
				audiences: ['disability', 'teens'],
				accepting_new: true,
				at: { sede: 'We 15:00-18:00; Sa 14:30-18:30' }
			},
			{
				ref: 'sollievo',
				name: 'Sollievo per le famiglie',
				description:
					"Qualche ora di compagnia a casa per la persona con disabilità, perché i familiari possano riposare o sbrigare commissioni. Su appuntamento; le famiglie che ne usufruiscono si offrono a loro volta per altre famiglie, quando possono.",
				category: 'partner',
				needs: ['disability', 'listening'],
				audiences: ['families', 'disability'],
				accepting_new: null,
				at: { sede: null }
			}
		]
	},

	// ----------------------------------------------------------------------------- Santo Stefano
	{
		ref: 'caffe-panetteria-il-chicco',
		name: 'Caffè-panetteria Il Chicco (esempio)',
		kind: 'shop',
		description: "Caffè e panetteria di quartiere, punto di ritrovo del mattino.",
		locations: [{ ref: 'negozio', name: 'Caffè-panetteria', rione: 'Santo Stefano', street: 'VIA ALESSANDRO VOLTA', number: '21' }],
		services: [
			{
				ref: 'caffe-sospeso',
				name: 'Caffè e pane sospesi',
				description:
					"Un caffè e una brioche, o il pane del giorno, pagati in anticipo dai clienti per chi ne ha bisogno. Chi passa ogni mattina trova anche qualcuno con cui fare due chiacchiere.",
				category: 'shop',
				needs: ['community', 'food'],
				audiences: ['everyone', 'elderly'],
				accepting_new: true,
				at: { negozio: 'Mo-Sa 06:30-19:30; Su 07:00-12:30' }
			}
		]
	},
	{
		ref: 'custodia-santo-stefano',
		name: 'Punto di custodia sociale Santo Stefano (esempio)',
		kind: 'custodia',
		description: "Punto di custodia sociale nel rione Santo Stefano.",
		locations: [{ ref: 'punto', name: 'Punto di custodia', rione: 'Santo Stefano', street: 'VIA UGO FOSCOLO', number: '7' }],
		services: [
			{
				ref: 'custodia-sociale',
				name: 'Custodia sociale',
				description:
					"Visite, telefonate e accompagnamenti per anziani e persone fragili del rione, in contatto con il medico di famiglia e lo sportello sociale. Accesso libero.",
				category: 'custodia',
				needs: ['elderly', 'listening', 'community'],
				audiences: ['elderly', 'disability'],
				accepting_new: true,
				at: { punto: 'Tu-Fr 09:00-12:00; PH off' }
			}
		]
	},
	{
		ref: 'consultorio-la-rete',
		name: 'Consultorio familiare La Rete (esempio)',
		kind: 'partner',
		description: "Consultorio familiare accreditato, con ostetriche, psicologi e assistenti sociali.",
		website: 'https://example.org/consultorio-la-rete',
		locations: [{ ref: 'consultorio', name: 'Consultorio', rione: 'Santo Stefano', street: 'VIA GIUSEPPE PARINI', number: '14' }],
		services: [
			{
				ref: 'consultorio',
				name: 'Consultorio familiare',
				description:
					"Gravidanza, allattamento, crisi di coppia, fatiche con i figli: colloqui gratuiti con ostetriche, psicologi e assistenti sociali. Su appuntamento, da prendere per telefono o di persona.",
				category: 'partner',
				needs: ['health', 'listening', 'childcare'],
				audiences: ['families', 'women'],
				accepting_new: true,
				at: { consultorio: 'Mo,We,Fr 09:00-13:00; Tu,Th 09:00-13:00,14:00-17:30; PH off' }
			},
			{
				ref: 'spazio-adolescenti',
				name: 'Spazio adolescenti',
				description:
					"Ragazzi e ragazze dai 14 ai 21 anni possono parlare con una psicologa o un'ostetrica, anche senza i genitori. Accesso libero e gratuito.",
				category: 'partner',
				needs: ['health', 'listening', 'youth'],
				audiences: ['teens'],
				accepting_new: true,
				at: { consultorio: 'We 14:30-18:00; PH off' }
			}
		]
	},
	{
		ref: 'parrocchia-santo-stefano',
		name: 'Comunità parrocchiale di Santo Stefano (esempio)',
		kind: 'parish',
		description: "Parrocchia con guardaroba e distribuzione di viveri.",
		locations: [{ ref: 'oratorio', name: 'Oratorio', rione: 'Santo Stefano', street: 'VIA SANTO STEFANO', number: '12' }],
		services: [
			{
				ref: 'viveri-e-guardaroba',
				name: 'Viveri e guardaroba',
				description:
					"Pacchi alimentari e vestiti per famiglie in difficoltà, dopo un primo colloquio con i volontari. Le famiglie che ricevono aiuto sono invitate a dare una mano nella raccolta di dicembre.",
				category: 'parish',
				needs: ['food', 'clothing'],
				audiences: ['families'],
				accepting_new: true,
				at: { oratorio: 'Mo 15:00-17:00; Sa 09:00-12:00; PH off' }
			}
		]
	},
	{
		ref: 'sportello-assistenti-familiari',
		name: 'Sportello Assistenti Familiari (esempio)',
		kind: 'partner',
		description: "Sportello che fa incontrare famiglie e assistenti familiari (badanti).",
		locations: [{ ref: 'sportello', name: 'Sportello', rione: 'Santo Stefano', street: 'VIA COMO', number: '3' }],
		services: [
			{
				ref: 'incontro-domanda-offerta',
				name: 'Incontro tra famiglie e assistenti familiari',
				description:
					"Aiuta le famiglie che cercano un'assistente per un anziano e le persone che cercano questo lavoro: colloqui, contratto regolare, corsi di formazione. Su appuntamento.",
				category: 'partner',
				needs: ['work', 'elderly'],
				audiences: ['families', 'women', 'migrants'],
				accepting_new: true,
				at: { sportello: 'Tu 09:30-12:30; Th 15:00-18:00; PH off' }
			}
		]
	}
];

// ---------------------------------------------------------------------------------------------
// Checks and construction
// ---------------------------------------------------------------------------------------------

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function fail(message: string): never {
	throw new Error(`build-demo: ${message}`);
}

/** Throws unless `value` is valid OSM opening_hours with no warnings. */
function checkHours(value: string, where: string): void {
	let parsed: opening_hours;
	try {
		parsed = new opening_hours(value, HOURS_CONTEXT);
	} catch (error) {
		fail(`${where}: invalid opening_hours "${value}": ${String(error).trim()}`);
	}
	const warnings = parsed.getWarnings();
	if (warnings.length > 0) fail(`${where}: opening_hours "${value}" has warnings: ${warnings.join(' | ')}`);
}

/** FNV-1a, so each location's offset depends only on its own refs, not on its place in the list. */
function hash(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h;
}

const M_PER_DEG_LAT = 111_320;
const metresPerDegLon = (lat: number) => M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);

function distanceM(a: readonly [number, number], b: readonly [number, number]): number {
	const dx = (a[0] - b[0]) * metresPerDegLon((a[1] + b[1]) / 2);
	const dy = (a[1] - b[1]) * M_PER_DEG_LAT;
	return Math.hypot(dx, dy);
}

function nearestRione(p: readonly [number, number]): Rione {
	let best: Rione = RIONE_NAMES[0]!;
	for (const name of RIONE_NAMES) if (distanceM(p, RIONI[name]) < distanceM(p, RIONI[best])) best = name;
	return best;
}

function readPolygon(file: string): Feature<Polygon | MultiPolygon> {
	const collection = JSON.parse(fs.readFileSync(file, 'utf8')) as FeatureCollection;
	const feature = collection.features.find((f) => f.geometry.type === 'Polygon' || f.geometry.type === 'MultiPolygon');
	if (!feature) fail(`no polygon found in ${file}`);
	return feature as Feature<Polygon | MultiPolygon>;
}

const outline = readPolygon(path.join(DATA_DIR, 'boundaries/lecco_comune_istat2026.geojson'));

/**
 * A point near the rione centre: inside the city outline and nearer to its own centre than to any
 * other (so derived, Voronoi-like rione boundaries put it in the right rione).
 */
function place(rione: Rione, key: string): [number, number] {
	const centre = RIONI[rione];
	const nearestOther = Math.min(...RIONE_NAMES.filter((n) => n !== rione).map((n) => distanceM(centre, RIONI[n])));
	const maxR = Math.min(MAX_OFFSET_M, 0.45 * nearestOther);
	const random = mulberry32(PRNG_SEED ^ hash(key));
	for (let attempt = 0; attempt < 100; attempt++) {
		const angle = EAST_ONLY.has(rione) ? (random() - 0.5) * Math.PI : random() * 2 * Math.PI;
		const r = maxR * Math.sqrt(random());
		const lon = round6(centre[0] + (r * Math.cos(angle)) / metresPerDegLon(centre[1]));
		const lat = round6(centre[1] + (r * Math.sin(angle)) / M_PER_DEG_LAT);
		const p = point([lon, lat]);
		if (!booleanPointInPolygon(p, outline)) continue;
		if (nearestRione([lon, lat]) !== rione) continue;
		return [lon, lat];
	}
	fail(`could not place ${key} inside ${rione}`);
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

// Street names: ANNCSU `denominazione`, written in title case for display.
const streets = new Set(
	(
		parseCsv(fs.readFileSync(path.join(DATA_DIR, 'addresses/anncsu_odonimi_lecco.csv'), 'utf8'), {
			columns: true,
			skip_empty_lines: true
		}) as Record<string, string>[]
	).map((row) => row.denominazione!.trim())
);
const LOWER_WORDS = new Set(['di', 'da', 'del', 'dei', 'della', 'delle', 'dello', 'degli', 'e', 'al', 'alla', 'alle', 'ai', 'allo', 'agli']);
const LOWER_ELIDED = new Set(['dell', 'dall', 'nell', 'sull', 'all']);

function titleCase(name: string): string {
	return name
		.toLowerCase()
		.split(' ')
		.map((word, i) =>
			word
				.split("'")
				.map((part, j) => {
					if (i > 0 && ((j === 0 && LOWER_WORDS.has(part) && !word.includes("'")) || (j === 0 && LOWER_ELIDED.has(part))))
						return part;
					return part.charAt(0).toUpperCase() + part.slice(1);
				})
				.join("'")
		)
		.join(' ');
}

function build(): DirectoryBundle {
	const orgRefs = new Set<string>();
	const organizations = ORGS.map((org, index) => {
		const where = `organisation ${org.ref}`;
		if (!KEBAB.test(org.ref)) fail(`${where}: ref is not kebab-case`);
		if (orgRefs.has(org.ref)) fail(`${where}: duplicate ref`);
		orgRefs.add(org.ref);
		if (!org.name.endsWith(' (esempio)')) fail(`${where}: name must end with " (esempio)"`);

		const locationRefs = new Set<string>();
		const locations = org.locations.map((loc) => {
			const at = `${where}, location ${loc.ref}`;
			if (!KEBAB.test(loc.ref)) fail(`${at}: ref is not kebab-case`);
			if (locationRefs.has(loc.ref)) fail(`${at}: duplicate ref`);
			locationRefs.add(loc.ref);
			const [lon, lat] = place(loc.rione, `${org.ref}/${loc.ref}`);
			if (loc.confidential) {
				if (loc.street) fail(`${at}: a confidential location must not carry a street address`);
				return { ref: loc.ref, name: loc.name, lon, lat, city: 'Lecco', confidential: true };
			}
			if (!loc.street || !loc.number) fail(`${at}: street and number are required`);
			if (!streets.has(loc.street)) fail(`${at}: "${loc.street}" is not an ANNCSU street of Lecco`);
			return {
				ref: loc.ref,
				name: loc.name,
				lon,
				lat,
				address: `${titleCase(loc.street)} ${loc.number}`,
				postal_code: '23900',
				city: 'Lecco',
				confidential: false
			};
		});

		const serviceRefs = new Set<string>();
		const usedLocations = new Set<string>();
		const services = org.services.map((svc) => {
			const at = `${where}, service ${svc.ref}`;
			if (!KEBAB.test(svc.ref)) fail(`${at}: ref is not kebab-case`);
			if (serviceRefs.has(svc.ref)) fail(`${at}: duplicate ref`);
			serviceRefs.add(svc.ref);
			const places = Object.entries(svc.at);
			if (places.length === 0) fail(`${at}: offered nowhere`);
			for (const [location, hours] of places) {
				if (!locationRefs.has(location)) fail(`${at}: unknown location ${location}`);
				usedLocations.add(location);
				if (hours !== null) checkHours(hours, `${at} at ${location}`);
			}
			return {
				ref: svc.ref,
				name: svc.name,
				description: svc.description,
				category: svc.category,
				needs: svc.needs,
				audiences: svc.audiences,
				accepting_new: svc.accepting_new,
				...(svc.url ? { url: svc.url } : {}),
				phones: svc.phones ?? [],
				at: places.map(([location, opening_hours]) => ({ location, opening_hours }))
			};
		});
		for (const ref of locationRefs) if (!usedLocations.has(ref)) fail(`${where}: location ${ref} offers no service`);

		const phoneSuffix = 101 + index;
		if (phoneSuffix > 199) fail('too many organisations for the 0341 000 1xx numbering');
		return {
			ref: org.ref,
			name: org.name,
			kind: org.kind,
			description: org.description,
			// Shops are reached by phone or in person; everyone else has a (fictional) e-mail.
			...(org.kind === 'shop' ? {} : { email: `${org.ref}@example.org` }),
			...(org.website ? { website: org.website } : {}),
			phones: [{ number: `0341 000 ${phoneSuffix}` }],
			locations,
			services
		};
	});

	return directoryBundle.parse({
		source: SOURCE,
		verified_at: VERIFIED_AT,
		demo: true,
		organizations
	});
}

/** Coverage promised by the demo: every rione, Germanedo's after-school, the confidential places. */
function checkCoverage(bundle: DirectoryBundle): void {
	const rioneOf = new Map<string, Rione>();
	for (const org of ORGS) for (const loc of org.locations) rioneOf.set(`${org.ref}/${loc.ref}`, loc.rione);

	const byRione = new Map<Rione, Set<CategoryCode>>(RIONE_NAMES.map((r) => [r, new Set()]));
	for (const org of bundle.organizations)
		for (const svc of org.services)
			for (const at of svc.at) byRione.get(rioneOf.get(`${org.ref}/${at.location}`)!)!.add(svc.category);
	for (const [rione, categories] of byRione) {
		if (!categories.has('shop')) fail(`${rione} has no neighbourhood shop`);
		if (!categories.has('custodia')) fail(`${rione} has no custodia sociale point`);
		if (!['parish', 'partner', 'institution', 'school'].some((c) => categories.has(c as CategoryCode)))
			fail(`${rione} has no parish, association or public service`);
	}

	// Germanedo: at least two after-school services open on weekday afternoons, and food help.
	const weekdayAfternoons = [2, 3, 4, 5, 6].map((day) => new Date(2026, 10, day, 16, 0)); // Mon 2 – Fri 6 Nov 2026
	let homework = 0;
	let food = 0;
	for (const org of bundle.organizations)
		for (const svc of org.services)
			for (const at of svc.at) {
				if (rioneOf.get(`${org.ref}/${at.location}`) !== 'Germanedo') continue;
				if (svc.needs.includes('food')) food++;
				if (!svc.needs.includes('homework') || !at.opening_hours) continue;
				const oh = new opening_hours(at.opening_hours, HOURS_CONTEXT);
				if (weekdayAfternoons.every((d) => oh.getState(d))) homework++;
			}
	if (homework < 2) fail(`Germanedo has ${homework} after-school services open on weekday afternoons (need 2)`);
	if (food < 1) fail('Germanedo has no food help');

	const confidential = bundle.organizations.flatMap((o) => o.locations.filter((l) => l.confidential));
	if (confidential.length < 2 || confidential.length > 3) fail(`${confidential.length} confidential locations (want 2–3)`);
}

const bundle = build();
checkCoverage(bundle);
fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
fs.writeFileSync(OUTPUT, `${JSON.stringify(bundle, null, 2)}\n`);

const locationCount = bundle.organizations.reduce((n, o) => n + o.locations.length, 0);
const serviceCount = bundle.organizations.reduce((n, o) => n + o.services.length, 0);
console.info(
	`Wrote ${path.relative(REPO_ROOT, OUTPUT)}: ${bundle.organizations.length} organisations, ${locationCount} locations, ${serviceCount} services (all fictional).`
);
