import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * nginx (Debian's) as the reverse proxy in front of several app instances, for the tests
 * (tests/api/instances.test.ts): the configuration is written into a temporary directory and nginx runs
 * from there as a child process (`nginx -p DIR -c nginx.conf -e error.log`, in the foreground) on
 * the given port — no system service, no file outside that directory.
 *
 * The configuration is the one README ("Running behind a reverse proxy") recommends: requests are
 * spread round-robin over the instances; X-Forwarded-For gets the client's address appended
 * ($proxy_add_x_forwarded_for), so the app, started with ADDRESS_HEADER=x-forwarded-for and
 * XFF_DEPTH=1, reads the address nginx saw and not one a client wrote in the header itself.
 */
export interface Nginx {
	baseUrl: string;
	dir: string;
	stop(): Promise<void>;
}

export function nginxBinary(): string | null {
	for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx']) if (fs.existsSync(candidate)) return candidate;
	return null;
}

/** The configuration: `port` on 127.0.0.1, `upstreams` as host:port. */
export function nginxConfig(dir: string, port: number, upstreams: string[]): string {
	// Run as root (CI), nginx's workers would switch to "nobody", who may not write the temp dirs here.
	const user = process.getuid?.() === 0 ? 'user root;\n' : '';
	const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `\t${kind}_temp_path ${path.join(dir, kind)};`).join('\n');
	return `${user}worker_processes 1;
daemon off;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 1024; }
http {
	access_log off;
${temp}
	upstream atlante {
${upstreams.map((upstream) => `\t\tserver ${upstream};`).join('\n')}
		keepalive 16;
	}
	server {
		listen 127.0.0.1:${port};
		client_max_body_size 20m;
		location / {
			proxy_pass http://atlante;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $http_host;
			proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
			proxy_set_header X-Forwarded-Proto $scheme;
			# Which instance answered (the multi-instance test checks that both did).
			add_header X-Upstream $upstream_addr always;
		}
	}
}
`;
}

/** Starts nginx on `port` in front of `upstreams` and waits until it answers. */
export async function startNginx(port: number, upstreams: string[], timeoutMs = 10_000): Promise<Nginx> {
	const binary = nginxBinary();
	if (!binary) throw new Error('nginx is not installed (Debian: apt-get install nginx).');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atlante-nginx-'));
	fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(dir, port, upstreams));
	let output = '';
	const child: ChildProcess = spawn(binary, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const baseUrl = `http://127.0.0.1:${port}`;
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			// QUIT: nginx's graceful stop (its workers finish their requests).
			child.kill('SIGQUIT');
			await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		}
		fs.rmSync(dir, { recursive: true, force: true });
	};
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) break;
		try {
			await (await fetch(`${baseUrl}/api/needs`)).arrayBuffer();
			return { baseUrl, dir, stop };
		} catch {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
	const log = fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : '';
	await stop();
	throw new Error(`nginx did not start:\n${output}\n${log}`);
}
