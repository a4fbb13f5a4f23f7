import { readFileSync } from 'node:fs';

/** The package's version, read from the package.json next to the build (dist/lib/cli → ../../..). */
export function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? '[could not be detected]';
  } catch {
    return '[could not be detected]';
  }
}
