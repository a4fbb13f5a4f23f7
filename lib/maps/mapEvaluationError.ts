import { TapSigmaError } from '../errors.js';

/**
 * A stream map expression failed on a record (Python would have raised: `'NoneType' object has no
 * attribute 'split'`, a missing key…). Fatal, like the SDK's MapExpressionError: the map needs a guard
 * such as `x.split('@')[1] if x else None`. The message names the output stream and the property.
 */
export class MapEvaluationError extends TapSigmaError {
  constructor(stream: string, where: string, detail: string) {
    super(`stream map '${stream}', ${where}: ${detail}`, 'TAP_SIGMA_STREAM_MAP', 'fatal', { stream });
  }
}
