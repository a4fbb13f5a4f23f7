import { isJsonObject, type JsonSchema } from './jsonSchema.js';
import { mapSubschemas } from './mapSubschemas.js';

/**
 * Property names that can carry a credential. Matched anywhere in a record schema of a
 * secret-bearing endpoint; `apiCredentialId` and `authMethod` do not match on purpose.
 */
export const SECRET_PROPERTY = /^credentials?$|secret|passw(?:or)?d|passphrase|token|private_?key|api_?key|access_?key|^key$/i;

/** Endpoints whose records describe stored credentials: `/v2/api-credentials` and its children. */
export function isSecretBearingPath(path: string): boolean {
  return path === '/v2/api-credentials' || path.startsWith('/v2/api-credentials/');
}

/**
 * Removes every property whose name matches {@link SECRET_PROPERTY}, at any depth, from
 * `properties` and from `required`, so the tap never declares (and its record filter never
 * keeps) a field that could hold a secret.
 *
 * What this removes from Sigma's spec today: only `credential` on
 * `GET /v2/api-credentials/{apiCredentialId}`, a union per auth method of basic `username`,
 * API-key `key`/`isQueryParam`, OAuth client ids, token and authorization URLs and scopes, and
 * the AWS SigV4 access key id and temporary-credential mapping. Sigma says it never returns the
 * secrets themselves, but `apiKey.key` may be the key and none of it is needed to inventory
 * credentials. The list entry (`/v2/api-credentials`) has no matching property.
 */
export function redactSecrets(schema: JsonSchema): JsonSchema {
  const out = mapSubschemas(schema, redactSecrets);
  if (!isJsonObject(out.properties)) return out;
  const kept = Object.entries(out.properties).filter(([name]) => !SECRET_PROPERTY.test(name));
  out.properties = Object.fromEntries(kept);
  if (Array.isArray(out.required)) out.required = out.required.filter((name) => typeof name !== 'string' || !SECRET_PROPERTY.test(name));
  return out;
}
