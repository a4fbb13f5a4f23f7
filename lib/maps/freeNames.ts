import type { Expr, Generator } from './expressionAst.js';

/** The names an expression reads that no comprehension of its own binds, called functions excluded. */
export function freeNames(expr: Expr): Set<string> {
  const names = new Set<string>();
  visit(expr, new Set(), names);
  return names;
}

function visit(expr: Expr, bound: ReadonlySet<string>, names: Set<string>): void {
  const walk = (child: Expr | undefined, scope: ReadonlySet<string> = bound): void => {
    if (child !== undefined) visit(child, scope, names);
  };
  switch (expr.kind) {
    case 'constant':
      return;
    case 'name':
      if (!bound.has(expr.id)) names.add(expr.id);
      return;
    case 'attribute':
      return walk(expr.object);
    case 'call':
      if (expr.callee.kind !== 'name') walk(expr.callee);
      expr.args.forEach((arg) => walk(arg));
      expr.keywords.forEach((keyword) => walk(keyword.value));
      return;
    case 'subscript':
      walk(expr.object);
      return walk(expr.index);
    case 'slice':
      [expr.object, expr.lower, expr.upper, expr.step].forEach((part) => walk(part));
      return;
    case 'unary':
      return walk(expr.operand);
    case 'binary':
      walk(expr.left);
      return walk(expr.right);
    case 'boolean':
      expr.values.forEach((value) => walk(value));
      return;
    case 'compare':
      walk(expr.left);
      expr.comparators.forEach((comparator) => walk(comparator));
      return;
    case 'conditional':
      [expr.test, expr.body, expr.orElse].forEach((part) => walk(part));
      return;
    case 'list':
    case 'tuple':
    case 'set':
      expr.elements.forEach((element) => walk(element));
      return;
    case 'dict':
      [...expr.keys, ...expr.values].forEach((part) => walk(part));
      return;
    case 'listComprehension':
      return walk(expr.element, comprehensionScope(expr.generators, bound, walk));
    case 'dictComprehension': {
      const scope = comprehensionScope(expr.generators, bound, walk);
      walk(expr.key, scope);
      return walk(expr.value, scope);
    }
  }
}

function comprehensionScope(generators: readonly Generator[], outer: ReadonlySet<string>, walk: (child: Expr, scope: ReadonlySet<string>) => void): ReadonlySet<string> {
  let scope = outer;
  for (const generator of generators) {
    walk(generator.iterable, scope);
    scope = new Set([...scope, ...generator.targets]);
    generator.conditions.forEach((condition) => walk(condition, scope));
  }
  return scope;
}
