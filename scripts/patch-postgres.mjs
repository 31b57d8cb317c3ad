// Runs after `npm install` / `npm ci` (package.json "postinstall"): patches postgres.js 3.4.9's
// connection.js, in place, against a crash the fault tests found (tests/faults/terminate.test.ts).
//
// Why: when PostgreSQL ends a connection in the middle of a transaction (pg_terminate_backend, a
// restart), postgres.js may write the transaction's ROLLBACK after the socket has closed; the write
// runs from a setImmediate on a null socket and throws an uncaught TypeError that takes the whole
// process down (upstream: porsager/postgres issues #1154 and #1208, unmerged pull requests #1168,
// #1176 and #1209; 3.4.9 is the latest release). The patch does what #1209 does: a write with no
// socket rejects the waiting queries with CONNECTION_CLOSED, and closing forgets the pending write
// (so a reconnected connection is not left with a stale timer that never flushes).
// Second crash, same fault: `sql.begin` races the transaction against the connection's close, and
// whichever of the two loses is a promise nobody handles — the close, arriving after the error the
// terminated backend sent, is an unhandled rejection that ends the process. The patch gives both a
// handler (the race still answers with the first).
//
// Exact text only: if postgres.js changes, the script stops with a message instead of guessing —
// then check whether the new release fixes it and drop this script.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', 'node_modules', 'postgres');
const MARK = '/* atlante: patched for porsager/postgres#1208 */';
const patches = {
	'connection.js': [
		[
			'  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)',
			`  function nextWrite(fn) {\n    ${MARK}\n    if (!socket) {\n      nextWriteTimer !== null && clearImmediate(nextWriteTimer)\n      chunk = nextWriteTimer = null\n      error(Errors.connection('CONNECTION_CLOSED', options, socket))\n      return false\n    }\n    const x = socket.write(chunk, fn)`
		],
		['    clearImmediate(nextWriteTimer)\n    if (socket) {', '    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    if (socket) {'],
		["    clearImmediate(nextWriteTimer)\n    socket.removeListener('data', data)", "    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n    socket.removeListener('data', data)"]
	],
	'index.js': [
		[
			'      return await Promise.race([\n        scope(connection, fn),\n        new Promise((_, reject) => connection.onclose = reject)\n      ])',
			`      ${MARK}\n      const scoped = scope(connection, fn)\n      const closing = new Promise((_, reject) => connection.onclose = reject)\n      scoped.catch(() => {})\n      closing.catch(() => {})\n      return await Promise.race([scoped, closing])`
		]
	]
};

if (!fs.existsSync(root)) process.exit(0);
const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
for (const flavour of ['src', 'cjs/src', 'cf/src']) {
	for (const [name, edits] of Object.entries(patches)) {
		const file = path.join(root, flavour, name);
		if (!fs.existsSync(file)) continue;
		let text = fs.readFileSync(file, 'utf8');
		if (text.includes(MARK)) continue;
		for (const [from, to] of edits) {
			if (text.split(from).length !== 2) {
				console.error(`scripts/patch-postgres.mjs: postgres ${version}'s ${flavour}/${name} is not the text this patch expects; check whether porsager/postgres#1208 is fixed in it and update or remove the patch.`);
				process.exit(1);
			}
			text = text.replace(from, to);
		}
		fs.writeFileSync(file, text);
		console.info(`patched postgres ${version} ${flavour}/${name} (porsager/postgres#1208)`);
	}
}
