import type { ValidateFunction } from 'ajv';
import { type OperatorFunction, map } from 'rxjs';
import { RecordValidationError } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { RecordBatch } from '../singer/messages.js';

export type ValidationPolicy = 'warn' | 'fail' | 'off';

export interface ValidateRecordsOptions {
  /** Compiled once per stream. */
  readonly validator: ValidateFunction;
  readonly policy: ValidationPolicy;
  readonly logger: Logger;
  /** Warnings per stream before they are summarised, so drift in every record does not flood stderr. */
  readonly maxWarnings?: number;
}

/**
 * Checks every record of each batch against its stream's schema.
 * Contract: `off` passes batches through untouched; `warn` passes them through and logs the first
 *   `maxWarnings` failures; `fail` errors with RecordValidationError on the first invalid record.
 * Backpressure: synchronous, one batch in, the same batch out.
 * Concurrency: none.
 */
export function validateRecords(options: ValidateRecordsOptions): OperatorFunction<RecordBatch, RecordBatch> {
  const maxWarnings = options.maxWarnings ?? 5;
  let warnings = 0;
  return map((batch) => {
    if (options.policy === 'off') return batch;
    for (const record of batch.records) {
      if (options.validator(record)) continue;
      const detail = describe(options.validator);
      if (options.policy === 'fail') throw new RecordValidationError(batch.stream, detail);
      warnings += 1;
      if (warnings <= maxWarnings) options.logger.warn(`record of stream '${batch.stream}' does not match its schema: ${detail}`);
      if (warnings === maxWarnings) options.logger.warn(`further schema warnings for '${batch.stream}' are not shown`);
    }
    return batch;
  });
}

function describe(validator: ValidateFunction): string {
  const first = validator.errors?.[0];
  return first ? `${first.instancePath || '/'} ${first.message ?? 'is invalid'}` : 'invalid';
}
