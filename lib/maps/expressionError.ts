import { InputError } from '../errors.js';

/**
 * A stream map expression that cannot be compiled: a syntax error, an unknown name or function, a
 * construct the evaluator refuses. `at` is the offset in the expression's text, when one is known.
 * Internal: compileStreamMaps turns it into an InputError naming the stream and the property.
 */
export class ExpressionError extends Error {
  constructor(
    readonly problem: string,
    readonly at?: number,
  ) {
    super(problem);
    this.name = 'ExpressionError';
  }
}

/**
 * A Python runtime error while evaluating an expression on a record (`'NoneType' object has no
 * attribute 'split'`, a missing key, a division by zero). The message follows Python's wording, so that
 * users of the SDK recognise it. Internal: the stream map wraps it with the stream and the property.
 */
export class PythonError extends Error {
  constructor(
    readonly pythonType: 'TypeError' | 'ValueError' | 'KeyError' | 'IndexError' | 'ZeroDivisionError' | 'AttributeError' | 'OverflowError',
    detail: string,
  ) {
    super(`${pythonType}: ${detail}`);
    this.name = 'PythonError';
  }
}

/** The one-line config error for an expression that does not compile, with where it is in the config. */
export function expressionInputError(path: string, expression: string, error: ExpressionError): InputError {
  const at = error.at === undefined ? '' : ` (at character ${error.at + 1})`;
  return new InputError(`config: ${path}: ${error.problem} in ${JSON.stringify(expression)}${at}`);
}
