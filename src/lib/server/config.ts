import path from 'node:path';
import { z } from 'zod';

/**
 * Runtime settings, read once from the environment and validated so that a typo fails at start-up
 * with a message instead of misbehaving later. Every variable is documented in `.env.example`.
 */
export interface Config {
	/** `server`: a PostgreSQL + PostGIS server at `databaseUrl`; `embedded`: PGlite in this process. */
	backend: 'server' | 'embedded';
	databaseUrl: string | null;
	/** Server backend only: connections in the pool. */
	poolMax: number;
	/** Embedded backend only: where PGlite keeps its files (`memory://` for a throwaway store). */
	dataDir: string;
	/** ATLANTE_DEMO: the demo choice a database records at its first load (null: unset, the backend's
	 * default then applies). Once recorded, only `npm run seed -- --demo on|off` changes it. */
	demo: boolean | null;
	/** The demo choice a new database gets when ATLANTE_DEMO is unset: on embedded, off on a server. */
	demoDefault: boolean;
	/** Folder holding `migrations/`, `functions/` and `seed/`. */
	dbAssetsDir: string;
	/** Whether start-up loads the Lecco seed (off only for scratch databases such as benchmarks'). */
	seed: boolean;
	/** How far (metres) beyond the served comuni a need-matching search may start. */
	servedMarginM: number;
	/** Keys that encrypt households' identifiers: the current one (null = none configured) and
	 * older ones still able to decrypt during a rotation. */
	householdKeys: { current: HouseholdKey | null; old: HouseholdKey[] };
	/** Days without an answer after which a referral is flagged to the lead worker. */
	referralStaleDays: number;
	/** Seconds the planning figures stay dirty before the app recomputes them (a burst of edits costs one rebuild). */
	planningRefreshDelayS: number;
	/** Months after a plan closes before its household's identifiers are erased. */
	planRetentionMonths: number;
	/** Error reports ("segnala un errore") one client address may send in an hour. */
	reportsPerHour: number;
	/** The atlas map draws the vector tiles instead of one GeoJSON above this many public resources. */
	mapTilesAbove: number;
	/** SMTP_URL and MAIL_FROM: where and as whom email is sent; null when not configured (nothing is
	 * sent then, and pages show the links to copy instead). */
	mail: { url: string; from: string } | null;
	/** ORIGIN: the site's public address, for the links in emails. */
	siteOrigin: string;
}

export interface HouseholdKey {
	id: string;
	key: Buffer;
}

const KEY_FORMAT = 'must be KEYID:BASE64 with a key id of letters, digits, - or _ and 32 random bytes in base64 (e.g. k2026:$(openssl rand -base64 32))';

function parseKey(text: string): HouseholdKey | null {
	const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/]{43}=)$/.exec(text.trim());
	if (!match) return null;
	const key = Buffer.from(match[2]!, 'base64');
	return key.length === 32 ? { id: match[1]!, key } : null;
}

const flag = z
	.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
		error: 'must be 1 or 0 (true/false, yes/no, on/off also accepted)'
	})
	.transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

const schema = z.object({
	DATABASE_URL: z
		.string()
		.trim()
		.regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
	ATLANTE_DATA_DIR: z.string().trim().min(1).default('.data'),
	ATLANTE_DEMO: flag.optional(),
	ATLANTE_DB_ASSETS: z.string().trim().min(1).default('db'),
	ATLANTE_SEED: flag.default(true),
	ATLANTE_SERVED_MARGIN_M: z.coerce.number().int().min(0).max(100_000).default(3000),
	ATLANTE_HOUSEHOLD_KEY: z
		.string()
		.refine((text) => parseKey(text) !== null, KEY_FORMAT)
		.optional()
		.or(z.literal('').transform(() => undefined)),
	ATLANTE_HOUSEHOLD_OLD_KEYS: z
		.string()
		.refine((text) => text.split(',').every((part) => part.trim() === '' || parseKey(part) !== null), `each key ${KEY_FORMAT}`)
		.default(''),
	ATLANTE_REFERRAL_STALE_DAYS: z.coerce.number().int().min(1).max(365).default(7),
	ATLANTE_PLANNING_REFRESH_DELAY_S: z.coerce.number().int().min(1).max(86_400).default(10),
	ATLANTE_PLAN_RETENTION_MONTHS: z.coerce.number().int().min(1).max(240).default(24),
	ATLANTE_REPORTS_PER_HOUR: z.coerce.number().int().min(1).max(1000).default(5),
	ATLANTE_MAP_TILES_ABOVE: z.coerce.number().int().min(0).max(10_000_000).default(5000),
	SMTP_URL: z
		.string()
		.trim()
		.regex(/^smtps?:\/\/[^\s/]+/, 'must be smtp://[user:password@]host[:port] or smtps://…')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	MAIL_FROM: z
		.string()
		.trim()
		.regex(/^([^<>\r\n]*<[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)$/, 'must be an address, e.g. atlante@comune.lecco.it or "Atlante <atlante@comune.lecco.it>"')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	ORIGIN: z
		.string()
		.trim()
		.regex(/^https?:\/\/[^\s/]+\/?$/, 'must be the site address with no path, e.g. https://atlante.comune.lecco.it')
		.optional(),
	PORT: z.coerce.number().int().min(0).max(65_535).default(3000)
}).refine((vars) => Boolean(vars.SMTP_URL) === Boolean(vars.MAIL_FROM), {
	message: 'SMTP_URL and MAIL_FROM go together: set both to send email, or neither',
	path: ['MAIL_FROM']
});

/** Validates `env` (normally `process.env`) and returns the settings, or throws listing every problem. */
export function readConfig(env: Record<string, string | undefined>): Config {
	const parsed = schema.safeParse(
		Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined))
	);
	if (!parsed.success) {
		const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
		throw new Error(`Invalid configuration: ${problems.join('; ')}. See .env.example.`);
	}
	const vars = parsed.data;
	const backend = vars.DATABASE_URL ? 'server' : 'embedded';
	const dataDir =
		vars.ATLANTE_DATA_DIR.startsWith('memory://') ? vars.ATLANTE_DATA_DIR : path.resolve(vars.ATLANTE_DATA_DIR);
	return {
		backend,
		databaseUrl: vars.DATABASE_URL ?? null,
		poolMax: vars.DATABASE_POOL_MAX,
		dataDir,
		demo: vars.ATLANTE_DEMO ?? null,
		// The embedded default is a demo-ready sandbox; a real server starts clean.
		demoDefault: backend === 'embedded',
		dbAssetsDir: path.resolve(vars.ATLANTE_DB_ASSETS),
		seed: vars.ATLANTE_SEED,
		servedMarginM: vars.ATLANTE_SERVED_MARGIN_M,
		householdKeys: {
			current: vars.ATLANTE_HOUSEHOLD_KEY ? parseKey(vars.ATLANTE_HOUSEHOLD_KEY) : null,
			old: vars.ATLANTE_HOUSEHOLD_OLD_KEYS.split(',')
				.map((part) => (part.trim() ? parseKey(part) : null))
				.filter((key): key is HouseholdKey => key !== null)
		},
		referralStaleDays: vars.ATLANTE_REFERRAL_STALE_DAYS,
		planningRefreshDelayS: vars.ATLANTE_PLANNING_REFRESH_DELAY_S,
		planRetentionMonths: vars.ATLANTE_PLAN_RETENTION_MONTHS,
		reportsPerHour: vars.ATLANTE_REPORTS_PER_HOUR,
		mapTilesAbove: vars.ATLANTE_MAP_TILES_ABOVE,
		mail: vars.SMTP_URL && vars.MAIL_FROM ? { url: vars.SMTP_URL, from: vars.MAIL_FROM } : null,
		siteOrigin: vars.ORIGIN?.replace(/\/$/, '') ?? `http://localhost:${vars.PORT}`
	};
}
