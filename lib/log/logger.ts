export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Where log lines go: stderr in the CLI, anything with `write` in a library. */
export interface LogSink {
  write(line: string): unknown;
}

/**
 * Line-oriented logger for stderr. Every line passes through `redact`, so a secret registered with
 * `addSecret` cannot leak through a message, an error text or a URL, whatever the log level.
 */
export class Logger {
  private readonly secrets = new Set<string>();

  constructor(
    private readonly sink: LogSink,
    private readonly level: LogLevel = 'info',
  ) {}

  addSecret(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= RANK[this.level];
  }

  debug(message: string): void {
    this.log('debug', message);
  }

  info(message: string): void {
    this.log('info', message);
  }

  warn(message: string): void {
    this.log('warn', message);
  }

  error(message: string): void {
    this.log('error', message);
  }

  /** Writes a Meltano-style `METRIC: {...}` line at info level. */
  metric(point: Readonly<Record<string, unknown>>): void {
    this.log('info', `METRIC: ${JSON.stringify(point)}`);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('[redacted]');
    return out;
  }

  private log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    this.sink.write(`${level.toUpperCase()} ${this.redact(message)}\n`);
  }
}

/** Reads TAP_SIGMA_LOGLEVEL, then LOGLEVEL; defaults to info. */
export function logLevelFromEnv(env: Readonly<Record<string, string | undefined>>): LogLevel {
  const value = (env['TAP_SIGMA_LOGLEVEL'] ?? env['LOGLEVEL'] ?? 'info').toLowerCase();
  if (value === 'warning') return 'warn';
  return value in RANK ? (value as LogLevel) : 'info';
}
