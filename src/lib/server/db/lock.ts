import fs from 'node:fs';
import path from 'node:path';

/**
 * An exclusive lock on the embedded data directory. PGlite has no locking of its own: two processes
 * opening the same directory would corrupt it, so the second one must stop with a clear message.
 */
export interface DataDirLock {
	release(): void;
}

const LOCK_NAME = 'atlante.lock';

function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to someone else — still alive.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

export class DataDirInUseError extends Error {
	constructor(dataDir: string, pid: number) {
		super(
			`The embedded database in ${dataDir} is already open in process ${pid}. ` +
				'Only one process may use it at a time: stop that process first (the app migrates by itself ' +
				'when it starts), or use a PostgreSQL server through DATABASE_URL.'
		);
		this.name = 'DataDirInUseError';
	}
}

/** Takes the lock or throws {@link DataDirInUseError}. A lock left by a dead process is taken over. */
export function lockDataDir(dataDir: string): DataDirLock {
	fs.mkdirSync(dataDir, { recursive: true });
	const lockPath = path.join(dataDir, LOCK_NAME);
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = fs.openSync(lockPath, 'wx', 0o600);
			fs.writeSync(fd, String(process.pid));
			fs.closeSync(fd);
			let released = false;
			return {
				release() {
					if (released) return;
					released = true;
					try {
						if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockPath);
					} catch {
						// Already gone: nothing to release.
					}
				}
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const holder = Number.parseInt(fs.readFileSync(lockPath, 'utf8').trim(), 10);
			if (Number.isInteger(holder) && holder !== process.pid && processIsAlive(holder)) {
				throw new DataDirInUseError(dataDir, holder);
			}
			// Stale lock from a process that died (or our own from an unclean reload): remove and retry.
			fs.rmSync(lockPath, { force: true });
		}
	}
	throw new Error(`Could not lock ${dataDir}: the lock file keeps reappearing.`);
}
