import { kib } from '../core/quantities';
import { ResolvedTraffic } from './traffic';

// Internal: the Ingress annotations each controller reads. Not exported from the package.

/** ingress-nginx annotations that enforce `traffic` and a source allow-list. */
export function nginxAnnotations(traffic: ResolvedTraffic, allowedSourceRanges: readonly string[]): Record<string, string> {
  const prefix = 'nginx.ingress.kubernetes.io';
  const annotations: Record<string, string> = { [`${prefix}/ssl-redirect`]: 'true' };
  if (traffic.rateLimit) {
    annotations[`${prefix}/limit-rps`] = `${traffic.rateLimit.requestsPerSecond}`;
    if (traffic.rateLimit.connectionsPerClient !== undefined) {
      annotations[`${prefix}/limit-connections`] = `${traffic.rateLimit.connectionsPerClient}`;
    }
  }
  if (traffic.maxBodySize) {
    const kibibytes = kib(traffic.maxBodySize);
    annotations[`${prefix}/proxy-body-size`] = kibibytes % 1024 === 0 ? `${kibibytes / 1024}m` : `${kibibytes}k`;
  }
  if (traffic.connectTimeout !== undefined) {
    annotations[`${prefix}/proxy-connect-timeout`] = `${traffic.connectTimeout}`;
  }
  if (traffic.backendTimeout !== undefined) {
    annotations[`${prefix}/proxy-read-timeout`] = `${traffic.backendTimeout}`;
    annotations[`${prefix}/proxy-send-timeout`] = `${traffic.backendTimeout}`;
  }
  if (traffic.cors) {
    annotations[`${prefix}/enable-cors`] = 'true';
    annotations[`${prefix}/cors-allow-origin`] = traffic.cors.allowOrigins.join(', ');
    // ingress-nginx allows credentials unless told otherwise.
    annotations[`${prefix}/cors-allow-credentials`] = `${traffic.cors.allowCredentials}`;
    annotations[`${prefix}/cors-allow-methods`] = traffic.cors.allowMethods.join(', ');
    annotations[`${prefix}/cors-allow-headers`] = traffic.cors.allowHeaders.join(', ');
    annotations[`${prefix}/cors-max-age`] = `${traffic.cors.maxAge}`;
  }
  if (allowedSourceRanges.length > 0) {
    annotations[`${prefix}/whitelist-source-range`] = allowedSourceRanges.join(',');
  }
  return annotations;
}

/** HAProxy Kubernetes Ingress Controller annotations that enforce `traffic` and a source allow-list. */
export function haproxyAnnotations(traffic: ResolvedTraffic, allowedSourceRanges: readonly string[]): Record<string, string> {
  const prefix = 'haproxy.org';
  const annotations: Record<string, string> = {
    [`${prefix}/ssl-redirect`]: 'true',
    [`${prefix}/ssl-redirect-code`]: '301',
    // The default is the controller's own HTTPS port (8443), not the one clients see.
    [`${prefix}/ssl-redirect-port`]: '443',
    [`${prefix}/response-set-header`]: `Strict-Transport-Security "${traffic.hsts}"`,
  };
  if (traffic.rateLimit) {
    annotations[`${prefix}/rate-limit-requests`] = `${traffic.rateLimit.requestsPerSecond}`;
    annotations[`${prefix}/rate-limit-period`] = '1s';
    annotations[`${prefix}/rate-limit-status-code`] = '429';
  }
  if (traffic.backendTimeout !== undefined) {
    annotations[`${prefix}/timeout-server`] = `${traffic.backendTimeout}s`;
  }
  if (traffic.cors) {
    const origins = traffic.cors.allowOrigins;
    annotations[`${prefix}/cors-enable`] = 'true';
    // The controller matches the request's Origin against the value as an unanchored regular expression (haproxytech
    // kubernetes-ingress v3.2.11, pkg/annotations/ingress/resSetCORS.go: `-m reg`), one origin included: anchored and
    // escaped, https://a.example.com does not also admit https://a.example.com.attacker.net.
    annotations[`${prefix}/cors-allow-origin`] = `^(${origins.map(escapeRegExp).join('|')})$`;
    annotations[`${prefix}/cors-allow-credentials`] = `${traffic.cors.allowCredentials}`;
    annotations[`${prefix}/cors-allow-methods`] = traffic.cors.allowMethods.join(', ');
    annotations[`${prefix}/cors-allow-headers`] = traffic.cors.allowHeaders.join(', ');
    annotations[`${prefix}/cors-max-age`] = `${traffic.cors.maxAge}s`;
  }
  if (allowedSourceRanges.length > 0) {
    annotations[`${prefix}/allow-list`] = allowedSourceRanges.join(', ');
  }
  return annotations;
}

/** `text` as a regular expression that matches it literally. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
