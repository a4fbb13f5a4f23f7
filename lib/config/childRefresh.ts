import { InputError } from '../errors.js';

/** The rules a user may give a child stream (`when-listed` is a stream's own, derived from its parent's record). */
export const CHILD_REFRESH_RULES = ['with-parent', 'every-run'] as const;

export type ChildRefreshRule = (typeof CHILD_REFRESH_RULES)[number];

/** The `child_refresh` setting: stream name → rule. A plain object, so a validated config validates again unchanged. */
export type ChildRefreshOverrides = Readonly<Record<string, ChildRefreshRule>>;

/** The setting's JSON Schema beyond its type, as `--about` prints it. */
export const CHILD_REFRESH_SCHEMA: Readonly<Record<string, unknown>> = {
  additionalProperties: { type: 'string', enum: [...CHILD_REFRESH_RULES] },
};

/** Checks the shape of `child_refresh`; which names are child streams is checked when a sync is planned. */
export function parseChildRefresh(value: unknown): ChildRefreshOverrides {
  const overrides: Record<string, ChildRefreshRule> = {};
  for (const [stream, rule] of Object.entries(value as Record<string, unknown>)) {
    if (!CHILD_REFRESH_RULES.includes(rule as ChildRefreshRule)) {
      throw new InputError(`config: setting 'child_refresh' must map stream names to ${CHILD_REFRESH_RULES.join(' or ')}, got ${JSON.stringify(rule)} for '${stream}'`);
    }
    Object.defineProperty(overrides, stream, { value: rule, enumerable: true });
  }
  return Object.freeze(overrides);
}

/** The rule the setting gives a stream, if any (own keys only: a stream named like a prototype key is not inherited). */
export function childRefreshRule(overrides: ChildRefreshOverrides, stream: string): ChildRefreshRule | undefined {
  return Object.hasOwn(overrides, stream) ? overrides[stream] : undefined;
}
