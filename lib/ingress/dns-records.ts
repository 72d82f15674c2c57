import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { Operator, Prerequisite } from '../core/prerequisites';
import { checkWholeSeconds, durationSeconds } from '../core/quantities';
import { INT32_MAX, checkHostname, checkIpAddress } from '../core/validate';

/**
 * How ExternalDNS keeps the records of a zone (`--policy`, which ExternalDNS 0.22 requires: it has no default).
 * @see https://kubernetes-sigs.github.io/external-dns/v0.22.0/docs/flags/
 */
export enum ExternalDnsPolicy {
  /**
   * Creates, updates and deletes the records it owns (its TXT ownership records name its `ownerId`): a host removed
   * from the manifests loses its record, so no name is left pointing at an address the cluster may give up.
   */
  SYNC = 'sync',
  /** Creates and updates, never deletes: a removed host keeps its record until someone deletes it. */
  UPSERT_ONLY = 'upsert-only',
  /** Creates only: a changed address is not followed. */
  CREATE_ONLY = 'create-only',
}

/** Options of {@link DnsRecords.externalDns}. */
export interface ExternalDnsOptions {
  /**
   * The DNS zones ExternalDNS manages for the cluster (`--domain-filter`), e.g. `example.com`: every routed host must be
   * in one, and ExternalDNS must be allowed to write them at the DNS provider.
   */
  readonly zones: string[];
  /**
   * The name of this cluster's ExternalDNS in its TXT ownership records (`--txt-owner-id`): it changes or deletes only the
   * records it owns, so two clusters writing one zone need two names.
   */
  readonly ownerId: string;
  /** How ExternalDNS keeps the records (`--policy`). */
  readonly policy: ExternalDnsPolicy;
  /** Time to live of the records. @default Duration.minutes(5) */
  readonly ttl?: Duration;
  /**
   * Where the records point instead of the address the controller or Gateway publishes (annotation
   * `external-dns.kubernetes.io/target`): a host name (a CNAME record) or an IP address (an A or AAAA record), e.g. a
   * CDN or an external load balancer in front of the cluster. With the Gateway API, ExternalDNS reads it from the
   * Gateway only, so the Gateway must be declared with the routes.
   * @default - the load balancer address in the Ingress status, or the Gateway's status addresses
   */
  readonly target?: string;
}

/** The annotations ExternalDNS 0.22 reads (source/annotations/annotations.go: the default prefix is no longer `alpha`). */
const PREFIX = 'external-dns.kubernetes.io';
/** TTL bounds ExternalDNS accepts (source/annotations/processors.go: 1 to MaxInt32 seconds; others are ignored with a warning). */
const MAX_TTL = INT32_MAX;
const OWNER_ID = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/**
 * Where ExternalDNS finds the hosts of a HardenedIngress: its `--source`.
 * @internal
 */
export enum DnsRecordSource {
  /** `--source=ingress`: the hosts of the Ingresses' rules and TLS, the address of their status. */
  INGRESS = 'ingress',
  /** `--source=gateway-httproute`: the hostnames of the HTTPRoutes, the addresses of the Gateways they are accepted by. */
  GATEWAY_HTTPROUTE = 'gateway-httproute',
}

/**
 * Who makes the DNS records of the routed hosts. Without one, every host's record is a prerequisite someone creates by
 * hand; with ExternalDNS, the Ingress or HTTPRoutes carry what it reads and the prerequisites name it, its flags and
 * the zones it must own.
 */
export class DnsRecords {
  /**
   * ExternalDNS 0.22 creates the records from the routing objects themselves: from an Ingress, the hosts of its rules
   * and TLS (`--source=ingress`); from the Gateway API, the hostnames of the HTTPRoutes (`--source=gateway-httproute`).
   * Each carries the TTL annotation. No `DNSEndpoint` is written: it would have to name the load balancer's address,
   * which the cloud assigns and only the Ingress or Gateway status knows.
   * @see https://kubernetes-sigs.github.io/external-dns/v0.22.0/docs/annotations/annotations/
   */
  public static externalDns(options: ExternalDnsOptions): DnsRecords {
    return new DnsRecords(options);
  }

  private constructor(
    /** The options of ExternalDNS. */
    public readonly options: ExternalDnsOptions,
  ) {}

  /** Time to live of the records, in seconds. */
  public get ttlSeconds(): number {
    return durationSeconds(this.ttl);
  }

  private get ttl(): Duration {
    return this.options.ttl ?? Duration.minutes(5);
  }

  /**
   * Checks the options, given to `scope` as `prop`; `gatewayDeclared` is false for an existing Gateway, which this
   * construct cannot annotate with a target.
   * @internal
   */
  public check(scope: IConstruct, prop: string, gatewayDeclared: boolean): void {
    Kind.object<ExternalDnsOptions>('an ExternalDnsOptions object (zones, ownerId, policy, and optionally ttl and target)', {
      zones: Kind.array(Kind.STRING),
      ownerId: Kind.STRING,
      policy: Kind.oneOf(ExternalDnsPolicy, 'an ExternalDnsPolicy'),
      ttl: Kind.DURATION.optional(),
      target: Kind.STRING.optional(),
    }).check(scope, prop, this.options);
    const { zones, ownerId, target } = this.options;
    check(zones.length > 0, scope, `${prop}.zones`, zones, 'must name at least one zone: ExternalDNS writes only the zones of its --domain-filter');
    zones.forEach((zone) => checkHostname(scope, `${prop}.zones`, zone));
    check(new Set(zones).size === zones.length, scope, `${prop}.zones`, zones, 'must name each zone once: each is one --domain-filter');
    check(OWNER_ID.test(ownerId), scope, `${prop}.ownerId`, ownerId,
      'must be at most 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit: ExternalDNS writes it into its TXT ownership records');
    checkWholeSeconds(scope, `${prop}.ttl`, this.ttl, 1, MAX_TTL);
    if (target !== undefined) {
      // Written as an address (digits and dots, or a colon without a URL's slashes): checked as one, as ExternalDNS parses it.
      if (/^[0-9.]+$/.test(target) || (target.includes(':') && !target.includes('/'))) {
        checkIpAddress(scope, `${prop}.target`, target);
      } else {
        checkHostname(scope, `${prop}.target`, target);
      }
      check(gatewayDeclared, scope, `${prop}.target`, target,
        'is read from the Gateway, which is not declared here: annotate the existing Gateway with external-dns.kubernetes.io/target instead');
    }
  }

  /**
   * Checks that ExternalDNS would create the record of `host`, given to `scope` as `prop`: it is in one of the zones.
   * @internal
   */
  public checkHost(scope: IConstruct, prop: string, host: string): void {
    const name = host.replace(/^\*\./, '');
    const zones = this.options.zones;
    check(zones.some((zone) => name === zone || name.endsWith(`.${zone}`)), scope, prop, host,
      `is in none of the zones ExternalDNS manages (${zones.join(', ')}): its --domain-filter would skip the record`);
  }

  /**
   * The annotations of the objects ExternalDNS reads the hosts from: the TTL (and, on an Ingress, the target).
   * @internal
   */
  public routeAnnotations(source: DnsRecordSource): Record<string, string> {
    return {
      [`${PREFIX}/ttl`]: `${this.ttlSeconds}`,
      ...source === DnsRecordSource.INGRESS ? this.targetAnnotations() : {},
    };
  }

  /**
   * The target annotation, which ExternalDNS reads from an Ingress, or from the Gateway of an HTTPRoute.
   * @internal
   */
  public targetAnnotations(): Record<string, string> {
    return this.options.target !== undefined ? { [`${PREFIX}/target`]: this.options.target } : {};
  }

  /**
   * What ExternalDNS must be to create the records from `source`: the operator, its flags and the zones it owns.
   * @internal
   */
  public prerequisites(source: DnsRecordSource): Prerequisite[] {
    const { zones, ownerId, policy } = this.options;
    const setting = (flag: string, reason: string) => Prerequisite.controllerSetting(Operator.EXTERNAL_DNS.name, flag, reason);
    return [
      Prerequisite.operator(Operator.EXTERNAL_DNS, 'creates the DNS records of the routed hosts'),
      setting(`--source=${source}`, source === DnsRecordSource.INGRESS
        ? 'it reads the hosts of the Ingresses\' rules and TLS, and the address of their load balancer status'
        : 'it reads the hostnames of the HTTPRoutes and the addresses of the Gateways that accepted them'),
      setting(`--policy=${policy}`, 'how it keeps the records (0.22 requires the flag: it has no default)'),
      setting(`--txt-owner-id=${ownerId}`, 'it changes only the records its TXT ownership records say it owns'),
      ...zones.map((zone) => setting(`--domain-filter=${zone}, with write access to the zone ${zone} at its DNS provider`,
        'the routed hosts are in this zone')),
      setting(`the default annotation prefix ${PREFIX}/ (no --annotation-prefix)`,
        `the TTL${this.options.target !== undefined ? ' and the target are' : ' is'} written under it; 0.22 no longer reads the external-dns.alpha.kubernetes.io/ prefix by default`),
    ];
  }
}

/**
 * {@link DnsRecords}, as a prop's kind.
 * @internal
 */
export const DNS_RECORDS_KIND = Kind.instance(DnsRecords, 'DnsRecords (DnsRecords.externalDns(...))');
