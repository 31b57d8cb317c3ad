import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

/**
 * Runs the built app (`node build/index.js`) as a child process, the way `npm start` does, for the
 * API tests and the benchmarks: a free port, readiness by polling, a clean stop.
 */
export interface AppProcess {
	baseUrl: string;
	child: ChildProcess;
	/** Milliseconds from spawn until the API answered. */
	readyMs: number;
	/** Everything the app printed so far. */
	output(): string;
	/** Resident memory of the app process in MB (Linux), or null. */
	rssMb(): number | null;
	/** GETs `path` (with its query) and parses the JSON body; throws with the status and body on a
	 * non-2xx answer, and with the app's last output when it could not be reached. */
	getJson<T = unknown>(path: string): Promise<T>;
	stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

/**
 * `logFile`: also append everything the app prints there (tests read it: nothing private may be logged).
 * `origin`: the site's public address (ORIGIN), by default the app's own; behind a proxy, the proxy's.
 */
export async function startApp(env: NodeJS.ProcessEnv, timeoutMs = 170_000, logFile?: string, origin?: string): Promise<AppProcess> {
	if (!fs.existsSync('build/index.js')) throw new Error('No build: run `npm run build` first.');
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	let log = '';
	const started = performance.now();
	const child = spawn(process.execPath, ['build/index.js'], {
		env: { ...env, PORT: String(port), HOST: '127.0.0.1', ORIGIN: origin ?? baseUrl },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const record = (chunk: Buffer) => {
		log += chunk.toString();
		if (logFile) fs.appendFileSync(logFile, chunk);
	};
	child.stdout?.on('data', record);
	child.stderr?.on('data', record);
	const stop = async () => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	};
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`The app exited with ${child.exitCode} before it was ready:\n${log}`);
		try {
			const response = await fetch(`${baseUrl}/api/needs`);
			if (response.ok) {
				const readyMs = Math.round(performance.now() - started);
				return {
					baseUrl,
					child,
					readyMs,
					output: () => log,
					rssMb: () => {
						try {
							const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
							const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
							return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
						} catch {
							return null;
						}
					},
					getJson: async <T>(requestPath: string): Promise<T> => {
						let response: Response;
						try {
							response = await fetch(baseUrl + requestPath);
						} catch (error) {
							const state = child.exitCode === null && child.signalCode === null ? 'still running' : `exited (${child.exitCode ?? child.signalCode})`;
							throw new Error(`GET ${requestPath}: ${(error as Error).message}; the app is ${state}, its last output:\n${log.slice(-4000)}`);
						}
						if (!response.ok) throw new Error(`HTTP ${response.status} for GET ${requestPath}: ${await response.text()}`);
						return (await response.json()) as T;
					},
					stop
				};
			}
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	await stop();
	throw new Error(`The app did not become ready within ${timeoutMs / 1000} s:\n${log}`);
}

