import { type MintedToken, TokenProvider } from './tokenProvider.js';

/**
 * Token providers by credentials (a hash of API URL, client id and secret). Sigma allows one token
 * request per second per client, so every Tap of a process that uses the same credentials shares one
 * token instead of minting its own. Entries are a few bytes per distinct client and live as long as
 * the process.
 */
const providers = new Map<string, TokenProvider>();

/** The provider for `key`, created with `mint` by the first client that asks. */
export function sharedTokens(key: string, mint: () => Promise<MintedToken>): TokenProvider {
  let provider = providers.get(key);
  if (!provider) {
    provider = new TokenProvider({ mint });
    providers.set(key, provider);
  }
  return provider;
}
