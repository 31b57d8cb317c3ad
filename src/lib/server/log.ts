/**
 * The one logger. Lines are `time level message {fields}` on stderr/stdout. Never pass personal data
 * (household details, names of people, search places of citizens) in a message or field.
 */
type Fields = Record<string, string | number | boolean | null | undefined>;

// Read at each call, so a level set after start-up (scripts, tests) takes effect.
const quiet = () => process.env.LOG_LEVEL === 'silent';
const debugOn = () => process.env.LOG_LEVEL === 'debug';

function line(level: string, message: string, fields?: Fields): string {
	const extra = fields ? ' ' + JSON.stringify(fields) : '';
	return `${new Date().toISOString()} ${level} ${message}${extra}`;
}

export const log = {
	debug(message: string, fields?: Fields) {
		if (debugOn() && !quiet()) console.debug(line('debug', message, fields));
	},
	info(message: string, fields?: Fields) {
		if (!quiet()) console.info(line('info', message, fields));
	},
	warn(message: string, fields?: Fields) {
		if (!quiet()) console.warn(line('warn', message, fields));
	},
	error(message: string, fields?: Fields) {
		console.error(line('error', message, fields));
	}
};
