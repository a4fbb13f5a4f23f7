import type { ValidateFunction } from 'ajv';
import { RecordValidationError } from '../errors.js';
import { exactNumberText, isExactNumber } from '../json/exactNumbers.js';
import type { Logger } from '../log/logger.js';
import type { RecordBatch } from '../singer/messages.js';
import type { SigmaRecord } from './streamDefinition.js';

export type ValidationPolicy = 'warn' | 'fail' | 'off';

export interface BatchValidatorOptions {
  /** Compiled once per stream. */
  readonly validator: ValidateFunction;
  readonly policy: ValidationPolicy;
  readonly logger: Logger;
  /** Warnings per stream before they are summarised, so drift in every record does not flood stderr. */
  readonly maxWarnings?: number;
}

/**
 * Checks every record of a batch against its stream's schema; one validator per stream, so its
 * warning count spans the run. `off` passes batches through untouched; `warn` passes them through and
 * logs the first `maxWarnings` failures; `fail` throws RecordValidationError on the first invalid
 * record. Numbers kept exactly (beyond 2^53 or the double range) are checked as the numbers they are.
 */
export function batchValidator(options: BatchValidatorOptions): (batch: RecordBatch) => RecordBatch {
  const maxWarnings = options.maxWarnings ?? 5;
  let warnings = 0;
  return (batch) => {
    if (options.policy === 'off') return batch;
    for (const record of batch.records) {
      if (options.validator(record) || options.validator(withNumbers(record))) continue;
      const detail = describe(options.validator);
      if (options.policy === 'fail') throw new RecordValidationError(batch.stream, detail);
      warnings += 1;
      if (warnings <= maxWarnings) options.logger.warn(`record of stream '${batch.stream}' does not match its schema: ${detail}`);
      if (warnings === maxWarnings) options.logger.warn(`further schema warnings for '${batch.stream}' are not shown`);
    }
    return batch;
  };
}

/**
 * A copy with exact-number strings as numbers (the rare second look of a record that failed). A value
 * beyond the double range stands as the largest double of its sign, which, like it, is a number and an
 * integer (Infinity is neither for ajv).
 */
function withNumbers(record: SigmaRecord): unknown {
  const text = JSON.stringify(record);
  if (!text.includes('\\u0000')) return record;
  return JSON.parse(text, (_key, value: unknown) => (isExactNumber(value) ? finite(Number(exactNumberText(value))) : value));
}

function finite(value: number): number {
  if (value === Number.POSITIVE_INFINITY) return Number.MAX_VALUE;
  if (value === Number.NEGATIVE_INFINITY) return -Number.MAX_VALUE;
  return value;
}

function describe(validator: ValidateFunction): string {
  const first = validator.errors?.[0];
  return first ? `${first.instancePath || '/'} ${first.message ?? 'is invalid'}` : 'invalid';
}
