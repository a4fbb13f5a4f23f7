import { InputError } from '../errors.js';
import { compileExpression } from './compileExpression.js';
import { ExpressionError, PythonError, expressionInputError } from './expressionError.js';
import { freeNames } from './freeNames.js';
import { parseExpression } from './parseExpression.js';

/**
 * The output name `__alias__` gives one stream, as the SDK's `_eval_stream` works it out: an expression
 * of `__stream_name__` (`"__stream_name__ + '_v2'"`, `"__stream_name__.upper()"`) is evaluated; one that
 * names anything else (`customers_v2`, `aliased.stream`) is the new name as written.
 * Contract: InputError for an alias that does not parse or does not give a non-empty string.
 * @example streamAlias("'raw_' + __stream_name__", 'members', 'stream_maps.*.__alias__') // 'raw_members'
 */
export function streamAlias(expression: string, streamName: string, path: string): string {
  let value: unknown;
  try {
    const ast = parseExpression(expression);
    if ([...freeNames(ast)].some((name) => name !== '__stream_name__')) return expression;
    const evaluate = compileExpression(ast, { properties: new Set(), hasSelf: false, config: {}, streamName, originalStreamName: streamName });
    value = evaluate({ record: {}, self: null });
  } catch (error) {
    if (error instanceof ExpressionError) throw expressionInputError(path, expression, error);
    if (error instanceof PythonError) throw new InputError(`config: ${path}: ${error.message} in ${JSON.stringify(expression)}`);
    throw error;
  }
  if (typeof value !== 'string' || value === '') throw new InputError(`config: ${path}: ${JSON.stringify(expression)} must give a stream name, got ${JSON.stringify(value)}`);
  return value;
}
