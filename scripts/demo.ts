/**
 * `npm start`: the tap against the built-in Sigma simulator, as a user would run it against Sigma.
 * The simulator listens on loopback; the tap runs as a child process with stdout passed through, so
 * what appears is exactly the Singer output of `tap-sigma --config …`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '../fixtures/index.js';

const sim = await startSimulator({ seed: 7 });
const folder = mkdtempSync(join(tmpdir(), 'tap-sigma-demo-'));
const configPath = join(folder, 'config.json');
writeFileSync(configPath, JSON.stringify({ api_url: sim.url, client_id: sim.credentials.admin.clientId, client_secret: sim.credentials.admin.clientSecret }));
process.stderr.write(`demo: Sigma simulator at ${sim.url}; running tap-sigma --config ${configPath}\n`);

const bin = fileURLToPath(new URL('../lib/cli/bin.js', import.meta.url));
const child = spawn(process.execPath, [bin, '--config', configPath, ...process.argv.slice(2)], { stdio: ['ignore', 'inherit', 'inherit'] });
const code = await new Promise<number>((resolve) => child.on('close', (status) => resolve(status ?? 1)));
rmSync(folder, { recursive: true, force: true });
await sim.close();
process.exitCode = code;
