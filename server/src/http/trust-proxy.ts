/**
 * Which reverse proxies may name the client address in X-Forwarded-For (Fastify's `trustProxy`):
 * `true` trusts every hop, so clients can pick their own address; a hop count trusts that many
 * proxies in front of the server; a comma-separated list trusts those addresses, CIDR ranges or
 * the names `loopback`, `linklocal`, `uniquelocal`.
 */
export type TrustProxy = boolean | number | string;

/** Reads the CLI / environment form: `true`, `false`, a hop count, or a list of addresses/CIDRs. */
export function parseTrustProxy(value: string): TrustProxy {
  const trimmed = value.trim();
  if (trimmed === 'true') return true;
  if (trimmed === 'false') return false;
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const entries = trimmed.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => !/^(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)$/.test(entry))) {
    throw new Error(
      `--trust-proxy must be true, false, a hop count or a comma-separated list of addresses/CIDRs, got "${value}"`,
    );
  }
  return entries.join(',');
}

/** Fastify's form; its types lack the hop count its runtime accepts, so that becomes a function. */
export function fastifyTrustProxy(
  value: TrustProxy,
): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof value === 'number' ? (_address, hop) => hop < value : value;
}
