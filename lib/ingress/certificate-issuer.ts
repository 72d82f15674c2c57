import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkDnsSubdomain, checkHostname, checkHttpsUrl, checkNamespaceName } from '../core/validate';
import { DnsProvider } from './dns-provider';

/**
 * An ACME directory.
 * @see https://letsencrypt.org/docs/staging-environment/
 */
export class AcmeServer {
  /** Let's Encrypt production: trusted certificates, strict rate limits. */
  public static letsEncrypt(): AcmeServer {
    return new AcmeServer('https://acme-v02.api.letsencrypt.org/directory');
  }

  /** Let's Encrypt staging: untrusted certificates, generous rate limits; for development and tests. */
  public static letsEncryptStaging(): AcmeServer {
    return new AcmeServer('https://acme-staging-v02.api.letsencrypt.org/directory');
  }

  /** Any ACME directory, by its HTTPS URL. */
  public static url(url: string): AcmeServer {
    return new AcmeServer(url);
  }

  private constructor(public readonly url: string) {}
}

/** An ACME DNS-01 solver of a declared ClusterIssuer. */
export interface AcmeDns01Options {
  /** The DNS service the solver writes its `_acme-challenge` TXT records to, with its credentials. */
  readonly provider: DnsProvider;
  /**
   * The DNS zones the solver answers for (`selector.dnsZones`), e.g. `example.com`: every name in them, wildcards
   * included, is validated by DNS-01; other names keep the HTTP-01 solver.
   */
  readonly zones: string[];
  /**
   * cert-manager's cluster resource namespace, where a ClusterIssuer reads its solvers' Secrets and where its
   * ServiceAccount runs.
   * @default 'cert-manager' (the namespace of its Helm release, which the chart passes as `--cluster-resource-namespace`)
   */
  readonly clusterResourceNamespace?: string;
}

/** An ACME `ClusterIssuer` to declare. */
export interface AcmeIssuerOptions {
  /** Name of the ClusterIssuer (cluster-wide: declare it once per cluster). */
  readonly name: string;
  /** The ACME directory. */
  readonly server: AcmeServer;
  /** Contact address for the ACME account (expiry and incident notices). */
  readonly email: string;
  /**
   * A DNS-01 solver for the names of its zones, beside the HTTP-01 solver for the others: the only challenge an ACME
   * server accepts for a wildcard name such as `*.apps.example.com`.
   * @see https://cert-manager.io/docs/configuration/acme/#adding-multiple-solver-types
   * @default - HTTP-01 only: a wildcard host is refused
   */
  readonly dns01?: AcmeDns01Options;
}

/** What an existing issuer can sign, for {@link CertificateIssuer.clusterIssuer} and {@link CertificateIssuer.issuer}. */
export interface ExistingIssuerOptions {
  /**
   * The zones under which the issuer signs wildcard names (`*.apps.example.com` for zone `example.com`): the zones of an
   * ACME issuer's DNS-01 solvers, or those a CA or Vault issuer may sign for.
   * @default - none: a wildcard host is refused, as an HTTP-01 solver cannot validate it
   */
  readonly wildcardZones?: string[];
}

/** Kind of a cert-manager issuer. */
export enum IssuerKind {
  /** A cluster-wide `ClusterIssuer`. */
  CLUSTER_ISSUER = 'ClusterIssuer',
  /** An `Issuer` in the namespace of the certificates. */
  ISSUER = 'Issuer',
}

/**
 * The cert-manager issuer that signs a certificate for every host.
 * @see https://cert-manager.io/docs/configuration/
 */
export class CertificateIssuer {
  /** An existing `ClusterIssuer`. */
  public static clusterIssuer(name: string, options: ExistingIssuerOptions = {}): CertificateIssuer {
    return new CertificateIssuer(name, IssuerKind.CLUSTER_ISSUER, options?.wildcardZones, { options, kind: EXISTING_ISSUER_KIND });
  }

  /** An existing `Issuer` in the namespace of the routes. */
  public static issuer(name: string, options: ExistingIssuerOptions = {}): CertificateIssuer {
    return new CertificateIssuer(name, IssuerKind.ISSUER, options?.wildcardZones, { options, kind: EXISTING_ISSUER_KIND });
  }

  /**
   * An ACME `ClusterIssuer` declared with the routes, which proves control of each host by HTTP-01
   * through the same ingress class or Gateway (the solver pods are admitted from the controller), and,
   * with `dns01`, of the names of its zones by DNS-01.
   * @see https://cert-manager.io/docs/configuration/acme/http01/
   */
  public static acme(options: AcmeIssuerOptions): CertificateIssuer {
    return new CertificateIssuer(options?.name, IssuerKind.CLUSTER_ISSUER, options?.dns01?.zones, { options, kind: ACME_ISSUER_KIND }, options);
  }

  /** The zones under which it signs wildcard names. */
  public readonly wildcardZones: readonly string[];

  private constructor(
    /** Name of the issuer. */
    public readonly name: string,
    /** Kind of the issuer. */
    public readonly kind: IssuerKind,
    /** The zones as given: a caller without a type checker may pass anything, which `check` refuses. */
    givenZones: readonly string[] | undefined,
    /** The options as given, and their kind: a factory never throws, and the construct that receives the issuer checks them. */
    private readonly given: { readonly options: unknown; readonly kind: Kind },
    /** The ACME ClusterIssuer to declare, when it is declared here. */
    public readonly acme?: AcmeIssuerOptions,
  ) {
    this.wildcardZones = Array.isArray(givenZones) ? [...givenZones] : [];
  }

  /** cert-manager's cluster resource namespace, where the DNS-01 solver of a declared ClusterIssuer reads its Secrets. */
  public get clusterResourceNamespace(): string {
    return this.acme?.dns01?.clusterResourceNamespace ?? 'cert-manager';
  }

  /**
   * Checks the issuer given to `scope` as `prop`: its name, and for a declared ACME issuer its server, email and
   * DNS-01 solver.
   * @internal
   */
  public check(scope: IConstruct, prop: string): void {
    this.given.kind.check(scope, prop, this.given.options);
    checkDnsSubdomain(scope, `${prop}.name`, this.name);
    if (this.acme === undefined) {
      this.checkZones(scope, `${prop}.wildcardZones`);
      return;
    }
    const { server, email, dns01 } = this.acme;
    this.checkZones(scope, `${prop}.dns01.zones`);
    checkHttpsUrl(scope, `${prop}.server`, server.url, 'the ACME account key signs its requests, and the certificates come back over it');
    check(EMAIL.test(email), scope, `${prop}.email`, email, 'must be an email address');
    if (dns01 !== undefined) {
      check(dns01.zones.length > 0, scope, `${prop}.dns01.zones`, dns01.zones, 'must name at least one zone: the solver answers for the names in its zones only');
      checkNamespaceName(scope, `${prop}.dns01.clusterResourceNamespace`, this.clusterResourceNamespace);
      dns01.provider.check(scope, `${prop}.dns01.provider`, this.clusterResourceNamespace);
    }
  }

  private checkZones(scope: IConstruct, prop: string): void {
    this.wildcardZones.forEach((zone) => checkHostname(scope, prop, zone));
    check(new Set(this.wildcardZones).size === this.wildcardZones.length, scope, prop, this.wildcardZones, 'must name each zone once');
  }

  /**
   * Whether the declared ACME issuer validates `host` by DNS-01: the host is in a zone of its DNS-01 solver, whose
   * `dnsZones` selector wins over the HTTP-01 solver (cert-manager v1.21.1, pkg/util/solverpicker).
   * @internal
   */
  public validatesByDns01(host: string): boolean {
    const name = host.startsWith('*.') ? host.slice(2) : host;
    return (this.acme?.dns01?.zones ?? []).some((zone) => name === zone || name.endsWith(`.${zone}`));
  }

  /**
   * Why the issuer cannot sign the wildcard name `host`, or `undefined` when it can (or `host` is no wildcard). An ACME
   * server validates a wildcard name by DNS-01 only (cert-manager v1.21.1 picks a solver among the challenges the
   * authorization offers: pkg/util/solverpicker), so it needs a DNS-01 solver whose zones hold the name.
   * @internal
   */
  public wildcardProblem(host: string): string | undefined {
    if (!host.startsWith('*.')) {
      return undefined;
    }
    const name = host.slice(2);
    if (this.wildcardZones.some((zone) => name === zone || name.endsWith(`.${zone}`))) {
      return undefined;
    }
    const issuer = `${this.kind} '${this.name}'`;
    if (this.acme !== undefined && this.acme.dns01 === undefined) {
      return `cannot be issued by ${issuer}, which solves HTTP-01 only: an ACME server validates a wildcard name by DNS-01 only; `
        + 'give the issuer a \'dns01\' solver for a zone of the host, or the host a \'tlsSecrets\' entry';
    }
    return this.wildcardZones.length > 0
      ? `is in none of the zones under which ${issuer} signs wildcard names (${this.wildcardZones.join(', ')})`
      : `cannot be issued by ${issuer} unless it signs wildcard names in the host's zone: say so with 'wildcardZones' (an ACME issuer needs a DNS-01 solver there), or give the host a 'tlsSecrets' entry`;
  }
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const EXISTING_ISSUER_KIND = Kind.object<ExistingIssuerOptions>('an ExistingIssuerOptions object (wildcardZones)', {
  wildcardZones: Kind.array(Kind.STRING).optional(),
});
const ACME_ISSUER_KIND = Kind.object<AcmeIssuerOptions>('an AcmeIssuerOptions object (name, server, email, dns01)', {
  name: Kind.STRING,
  server: Kind.instance(AcmeServer, 'an AcmeServer (AcmeServer.letsEncrypt, letsEncryptStaging or url)'),
  email: Kind.STRING,
  dns01: Kind.object<AcmeDns01Options>('an AcmeDns01Options object (provider, zones, clusterResourceNamespace)', {
    provider: Kind.instance(DnsProvider, 'a DnsProvider (DnsProvider.route53, cloudDns, cloudflare or azureDns)'),
    zones: Kind.array(Kind.STRING),
    clusterResourceNamespace: Kind.STRING.optional(),
  }).optional(),
});
