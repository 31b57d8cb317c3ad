// `npm start`: builds the app when the build is missing or older than the sources, then serves it
// (PORT, default 3000; HOST, default 0.0.0.0) on the database the environment names — the embedded
// default when DATABASE_URL is unset. Settings may also come from a `.env` file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

process.env.TZ = 'Europe/Rome';
if (fs.existsSync('.env')) process.loadEnvFile('.env');
// The site's own address, for origin checks and secure cookies. adapter-node assumes https when it
// is unset, which would refuse every form on a plain local http://localhost; behind a proxy, set it.
process.env.ORIGIN ??= `http://localhost:${process.env.PORT ?? 3000}`;

function newestMtime(entry) {
	const stat = fs.statSync(entry);
	if (!stat.isDirectory()) return stat.mtimeMs;
	return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

const built = 'build/index.js';
const inputs = ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];
if (!fs.existsSync(built) || Math.max(...inputs.map(newestMtime)) > fs.statSync(built).mtimeMs) {
	console.info('Building the app (first start or sources changed)…');
	execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}

await import(path.resolve(built));
