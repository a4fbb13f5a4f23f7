import { isIPv4 } from 'node:net';
import { InputError } from '../errors.js';

/**
 * Checks `api_url` and returns it as `scheme://host[:port]`, without a trailing slash: https, or http to
 * a literal loopback address only (127.0.0.0/8, [::1], localhost; `127.evil.example` is a DNS name, not
 * loopback). No user name or password (axios would send them as Basic credentials), no path, query or
 * fragment (the tap adds the paths itself).
 * Errors never repeat a user name or password: they show the URL without them, or nothing.
 * @example normalizeApiUrl('https://aws-api.sigmacomputing.com/') // 'https://aws-api.sigmacomputing.com'
 */
export function normalizeApiUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Unparsed, userinfo cannot be told from the rest: echo the text only when it cannot hold any.
    throw apiUrlError('must be an absolute URL such as https://aws-api.sigmacomputing.com', text.includes('@') ? undefined : text);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    // `user:pw@host` parses as scheme `user:`: show the scheme alone.
    throw apiUrlError(`must use https://, not ${url.protocol}`, undefined);
  }
  const origin = `${url.protocol}//${url.host}`;
  if (url.username !== '' || url.password !== '') throw apiUrlError('must not contain a user name or password (the tap signs in with client_id and client_secret)', origin);
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw apiUrlError('must use https:// (http:// is allowed only for the loopback addresses 127.0.0.0/8, [::1] and localhost)', origin);
  }
  const shown = text.includes('@') ? origin : `${origin}${url.pathname}`;
  if (url.pathname !== '/') throw apiUrlError('must not have a path (the tap adds /v2/… itself)', shown);
  if (url.search !== '') throw apiUrlError('must not have a query', origin);
  if (url.hash !== '') throw apiUrlError('must not have a fragment', origin);
  return origin;
}

/** The WHATWG parser already turned `127.1` and `0x7f000001` into dotted IPv4 and `[0::1]` into `[::1]`. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || (isIPv4(hostname) && hostname.startsWith('127.'));
}

function apiUrlError(problem: string, shown: string | undefined): InputError {
  return new InputError(`config: setting 'api_url' ${problem}${shown === undefined ? '' : `, got ${JSON.stringify(shown)}`}`);
}
