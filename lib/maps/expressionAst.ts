/**
 * The syntax tree of one stream map expression: the subset of Python's expression grammar that
 * simpleeval (the SDK's evaluator) accepts and that tap-sigma evaluates. `at` is the offset of the node
 * in the source, for error messages.
 */
export type Expr =
  | { readonly kind: 'constant'; readonly value: null | boolean | number | string; readonly isFloat: boolean; readonly at: number }
  | { readonly kind: 'name'; readonly id: string; readonly at: number }
  | { readonly kind: 'attribute'; readonly object: Expr; readonly name: string; readonly at: number }
  | { readonly kind: 'call'; readonly callee: Expr; readonly args: readonly Expr[]; readonly keywords: readonly Keyword[]; readonly at: number }
  | { readonly kind: 'subscript'; readonly object: Expr; readonly index: Expr; readonly at: number }
  | { readonly kind: 'slice'; readonly object: Expr; readonly lower?: Expr; readonly upper?: Expr; readonly step?: Expr; readonly at: number }
  | { readonly kind: 'unary'; readonly op: 'not' | '-' | '+'; readonly operand: Expr; readonly at: number }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: Expr; readonly right: Expr; readonly at: number }
  | { readonly kind: 'boolean'; readonly op: 'and' | 'or'; readonly values: readonly Expr[]; readonly at: number }
  | { readonly kind: 'compare'; readonly left: Expr; readonly ops: readonly CompareOperator[]; readonly comparators: readonly Expr[]; readonly at: number }
  | { readonly kind: 'conditional'; readonly test: Expr; readonly body: Expr; readonly orElse: Expr; readonly at: number }
  | { readonly kind: 'list' | 'tuple' | 'set'; readonly elements: readonly Expr[]; readonly at: number }
  | { readonly kind: 'dict'; readonly keys: readonly Expr[]; readonly values: readonly Expr[]; readonly at: number }
  | { readonly kind: 'listComprehension'; readonly element: Expr; readonly generators: readonly Generator[]; readonly at: number }
  | { readonly kind: 'dictComprehension'; readonly key: Expr; readonly value: Expr; readonly generators: readonly Generator[]; readonly at: number };

export type BinaryOperator = '+' | '-' | '*' | '/' | '//' | '%' | '**';
export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

export interface Keyword {
  readonly name: string;
  readonly value: Expr;
}

/** One `for targets in iterable if condition…` clause of a comprehension. */
export interface Generator {
  /** One name, or several to unpack each item (`for k, v in d.items()`). */
  readonly targets: readonly string[];
  readonly unpack: boolean;
  readonly iterable: Expr;
  readonly conditions: readonly Expr[];
}
