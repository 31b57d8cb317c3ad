import { start, stop } from '../../src/lib/server/startup';

/**
 * The shape of the territory import commands (`npm run import:osm`, `import:anncsu`): one FILE
 * argument, the schema migrated (never the seed), the import run, its summary printed; a refusal
 * (`refused(error)`) prints why and exits 1 with nothing written; a wrong call prints the usage
 * and exits 2.
 */
export async function runImport(usage: string, run: (file: string) => Promise<string>, refused: (error: unknown) => boolean): Promise<void> {
	const file = process.argv[2];
	if (!file || process.argv.length > 3 || file === '--help') {
		console.error(usage);
		process.exit(file === '--help' ? 0 : 2);
	}
	try {
		await start(process.env, { seed: false });
		console.info(await run(file));
	} catch (error) {
		if (!refused(error)) throw error;
		console.error(`Refused, nothing written: ${(error as Error).message}`);
		process.exitCode = 1;
	} finally {
		await stop();
	}
}
