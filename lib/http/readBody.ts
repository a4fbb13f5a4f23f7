import { StringDecoder } from 'node:string_decoder';

/**
 * A response body as text, or undefined once it passes `maxBytes` (leaving the loop early destroys a
 * Readable, so an endless body costs no more than the limit). Decoded chunk by chunk, so the body is held once as
 * text rather than also as a list of buffers and their concatenation.
 */
export async function readBody(body: AsyncIterable<Buffer>, maxBytes: number): Promise<string | undefined> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > maxBytes) return undefined;
    text += decoder.write(chunk);
  }
  text += decoder.end();
  return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
}

const BYTE_ORDER_MARK = 0xfeff;
