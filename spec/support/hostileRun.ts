import assert from 'node:assert/strict';
import type { Simulator } from '../../fixtures/index.js';
import { validateConfig } from '../../lib/config/validateConfig.js';
import { streams } from '../../pipelines/index.js';
import { expectedRecords, keyOf } from './expectedRecords.js';
import { type CliResult, recordsByStream, writeJson } from './runCli.js';

/** Peak RSS a run may reach while a server sends it a hostile body. */
export const RSS_LIMIT_MB = 200;

/** The settings for the simulator's admin client, pointed at `apiUrl` (a hostile server in front of it). */
export function hostileSettings(sim: Simulator, apiUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { clientId, clientSecret } = sim.credentials.admin;
  return { api_url: apiUrl, client_id: clientId, client_secret: clientSecret, ...extra };
}

/** hostileSettings as a config file. */
export function hostileConfig(sim: Simulator, apiUrl: string, extra: Record<string, unknown> = {}): string {
  return writeJson('config.json', hostileSettings(sim, apiUrl, extra));
}

/** The client secret and every token the simulator issued appear nowhere in the run's output. */
export function assertNoSecrets(run: CliResult, sim: Simulator): void {
  const secrets = [sim.credentials.admin.clientSecret, ...sim.issuedTokens()];
  for (const secret of secrets) {
    assert.ok(!run.stdout.includes(secret), 'a secret on stdout');
    assert.ok(!run.stderr.includes(secret), 'a secret on stderr');
  }
}

/**
 * A failed run: exit 1, and besides log lines (metrics written before the failure) stderr holds exactly
 * one line, the last, which matches `pattern` (no stack trace, no second message); returns it.
 */
export function assertOneLine(run: CliResult, pattern: RegExp): string {
  assert.equal(run.code, 1, run.stderr);
  const lines = run.stderr.split('\n').filter((line) => line !== '');
  const others = lines.filter((line) => !/^(DEBUG|INFO|WARN) /.test(line));
  assert.equal(others.length, 1, run.stderr);
  assert.equal(others[0], lines.at(-1));
  assert.match(others[0]!, /^tap-sigma: /);
  assert.match(others[0]!, pattern);
  return others[0]!;
}

/** Warnings of the run (stderr lines at WARN). */
export function warnings(run: CliResult): string[] {
  return run.stderr.split('\n').filter((line) => /\bWARN\b/.test(line));
}

/**
 * How the run's records differ from the simulator's truth, stream by stream (missing, unexpected or
 * duplicated keys); empty when every record of every stream was emitted once.
 */
export function differencesFromTruth(run: CliResult, sim: Simulator, rawConfig: Record<string, unknown>, only?: readonly string[]): string[] {
  const config = validateConfig(rawConfig);
  const actual = recordsByStream(run.messages);
  const problems: string[] = [];
  for (const stream of streams.filter((s) => only === undefined || only.includes(s.name))) {
    const expected = new Set(expectedRecords(sim.org, streams, stream, config).map((r) => keyOf(r, stream.primaryKeys)));
    const got = (actual.get(stream.name) ?? []).map((r) => keyOf(r, stream.primaryKeys));
    const missing = [...expected].filter((k) => !got.includes(k)).length;
    const unexpected = got.filter((k) => !expected.has(k)).length;
    const duplicated = got.length - new Set(got).size;
    if (missing + unexpected + duplicated > 0) problems.push(`${stream.name}: ${missing} missing, ${unexpected} unexpected, ${duplicated} duplicated`);
  }
  return problems;
}
