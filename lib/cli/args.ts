import minimist from 'minimist';
import { InputError } from '../errors.js';

export interface CliArgs {
  readonly config: readonly string[];
  readonly catalog?: string;
  readonly state?: string;
  readonly discover: boolean;
  readonly about: boolean;
  readonly format: 'text' | 'json' | 'markdown';
  readonly version: boolean;
  readonly help: boolean;
  readonly test: boolean;
}

const STRING_FLAGS = ['config', 'catalog', 'properties', 'state', 'format'];
const BOOLEAN_FLAGS = ['discover', 'about', 'version', 'help', 'test'];

/** Parses the Singer command line; `--properties` is the legacy name of `--catalog`. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const unknown: string[] = [];
  const parsed = minimist([...argv], {
    string: STRING_FLAGS,
    boolean: BOOLEAN_FLAGS,
    alias: { h: 'help' },
    unknown: (arg) => {
      unknown.push(arg);
      return false;
    },
  });
  if (unknown.length > 0) throw new InputError(`unknown argument ${unknown[0]}; see --help`);
  const single = (name: string): string | undefined => {
    const value: unknown = parsed[name];
    if (value === undefined || value === '') return undefined;
    if (Array.isArray(value)) throw new InputError(`--${name} given more than once`);
    return String(value);
  };
  const config = ([] as unknown[]).concat(parsed['config'] ?? []).map(String).filter((c) => c !== '');
  const catalog = single('catalog');
  const properties = single('properties');
  if (catalog && properties) throw new InputError('give --catalog or --properties, not both');
  const format = single('format') ?? 'text';
  if (format !== 'text' && format !== 'json' && format !== 'markdown') throw new InputError(`--format must be json, markdown or text, got ${format}`);
  const catalogFile = catalog ?? properties;
  const stateFile = single('state');
  return {
    config,
    ...(catalogFile ? { catalog: catalogFile } : {}),
    ...(stateFile ? { state: stateFile } : {}),
    discover: parsed['discover'] === true,
    about: parsed['about'] === true,
    format,
    version: parsed['version'] === true,
    help: parsed['help'] === true,
    test: parsed['test'] === true,
  };
}

export const USAGE = `Usage: tap-sigma --config FILE [--config FILE|ENV ...] [--catalog FILE] [--state FILE]
       tap-sigma --config FILE --discover
       tap-sigma --config FILE --test
       tap-sigma --about [--format json|markdown|text]
       tap-sigma --version | --help

Extracts every readable resource of a Sigma Computing organization as Singer messages on stdout.

  --config FILE     JSON config; repeatable, later files win; ENV reads TAP_SIGMA_<SETTING> variables
  --catalog FILE    Singer catalog selecting streams and fields (alias: --properties)
  --state FILE      state from a previous run (bookmarks)
  --discover        print the catalog of every stream and exit
  --test            fetch one record per stream and exit 0 when the API answers
  --about           print name, version, capabilities and settings (--format json|markdown|text)
  --version         print the version
  --help            print this help
`;
