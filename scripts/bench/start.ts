// `npm run bench:start`: how long the app takes to start on the embedded default, and how much
// memory it holds. Cold = a fresh data directory (PGlite initdb, PostGIS, migrations, Lecco seed and
// demo set); warm = the same directory again. Time is from spawning `node build` to the first
// answered API request; memory is the process's resident set then, and after 200 requests.
// Targets: warm start ≤ 10 s and ≤ 500 MB. Needs a build (`npm run build`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp } from '../lib/app-process';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-start-'));
const env: NodeJS.ProcessEnv = { ...process.env, ATLANTE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
delete env.DATABASE_URL;

async function measure(label: string): Promise<void> {
	const app = await startApp(env);
	const rssReady = app.rssMb();
	for (let i = 0; i < 200; i++) await (await fetch(`${app.baseUrl}/api/resources?near=9.39,45.855&radius=2000`)).arrayBuffer();
	const rssLoaded = app.rssMb();
	await app.stop();
	console.info(`${label}: ready in ${(app.readyMs / 1000).toFixed(1)} s; resident memory ${rssReady} MB at ready, ${rssLoaded} MB after 200 requests`);
}

try {
	await measure('cold start (new data directory)');
	await measure('warm start (same data directory)');
	await measure('warm start (again)');
} finally {
	fs.rmSync(dataDir, { recursive: true, force: true });
}
