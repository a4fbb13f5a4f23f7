import { isJsonObject } from './jsonSchema.js';
import type { GetOperation, OpenApiDocument, OpenApiParameter } from './openApiDocument.js';

/**
 * Every GET operation of the document, in document order.
 * Throws when an operation has no `operationId` or no 200 `application/json` schema: the tap
 * cannot describe such an endpoint, and a silent skip would hide spec drift.
 */
export function listGetOperations(doc: OpenApiDocument): GetOperation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => {
    const get = item.get;
    if (!isJsonObject(get)) return [];
    const where = `GET ${path}`;
    if (typeof get.operationId !== 'string') throw new Error(`${where} has no operationId`);
    const responses = isJsonObject(get.responses) ? get.responses : {};
    const ok = responses['200'];
    const content = isJsonObject(ok) && isJsonObject(ok.content) ? ok.content['application/json'] : undefined;
    const responseSchema = isJsonObject(content) ? content.schema : undefined;
    if (!isJsonObject(responseSchema)) throw new Error(`${where} has no 200 application/json schema`);
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    const own = Array.isArray(get.parameters) ? get.parameters : [];
    return [{ path, operationId: get.operationId, parameters: [...shared, ...own].map((p) => toParameter(p, where)), responseSchema }];
  });
}

function toParameter(value: unknown, where: string): OpenApiParameter {
  if (!isJsonObject(value) || typeof value.name !== 'string' || typeof value.in !== 'string') {
    throw new Error(`${where}: unsupported parameter ${JSON.stringify(value)} (a $ref parameter is not handled)`);
  }
  return {
    name: value.name,
    in: value.in,
    schema: isJsonObject(value.schema) ? value.schema : {},
    description: typeof value.description === 'string' ? value.description : undefined,
  };
}
