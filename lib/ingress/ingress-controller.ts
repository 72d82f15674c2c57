import { IConstruct } from 'constructs';
import { Kind } from '../core/kinds';
import { Operator } from '../core/prerequisites';
import { checkDnsSubdomain } from '../core/validate';
import { NETWORK_PEER_KIND, checkNetworkPeer } from '../network/_checks';
import { NetworkPeer } from '../network/network-peer';
import { haproxyAnnotations, nginxAnnotations } from './_annotations';
import { ResolvedTraffic, TrafficFeature, TrafficOptions, resolveTraffic } from './traffic';

/** An ingress controller installed in the cluster. */
export interface IngressControllerOptions {
  /** IngressClass the controller watches. @default - the controller's usual class ('nginx', 'haproxy') */
  readonly className?: string;
  /** The controller's pods, which the backends admit. @default - every pod in the controller's usual namespace ('ingress-nginx', 'haproxy-controller') */
  readonly peer?: NetworkPeer;
}

/**
 * A Gateway API `Gateway` the routes attach to.
 * @see https://gateway-api.sigs.k8s.io/api-types/gateway/
 */
export interface GatewayOptions {
  /** Name of the Gateway. */
  readonly name: string;
  /** The gateway's proxy pods, which the backends admit; where they run depends on the implementation. */
  readonly peer: NetworkPeer;
  /**
   * Declare the Gateway here, of this GatewayClass: an HTTPS listener per host with its certificate
   * and an HTTP listener whose only route redirects to HTTPS.
   * @default - the Gateway exists; routes attach to its listener `httpsListener`
   */
  readonly gatewayClassName?: string;
  /** Namespace of an existing Gateway; a declared one lives with its routes. @default - the namespace of the HardenedIngress */
  readonly namespace?: string;
  /** HTTPS listener of an existing Gateway, which terminates TLS with its own certificates. @default 'https' */
  readonly httpsListener?: string;
  /** HTTP listener of an existing Gateway, for the redirect to HTTPS and ACME HTTP-01. @default 'http' */
  readonly httpListener?: string;
}

interface ControllerSpec {
  readonly description: string;
  readonly peer: NetworkPeer;
  readonly ingressClassName?: string;
  readonly gateway?: GatewayOptions;
  readonly limitations: Partial<Record<TrafficFeature, string>>;
  readonly annotations?: (traffic: ResolvedTraffic, allowedSourceRanges: readonly string[]) => Record<string, string>;
  /** The controller as an operator the prerequisites name, with the version its annotations were written for. */
  readonly operator?: Operator;
}

/**
 * What carries traffic into the cluster, and so what a {@link HardenedIngress} writes: an `Ingress`
 * with the controller's annotations, or Gateway API `HTTPRoute`s. Every rendering enforces TLS, the
 * redirect to HTTPS and HSTS; a rule it cannot enforce ({@link TrafficFeature}) is refused at synth.
 * No rendering ever writes a `*-snippet` annotation.
 */
export class IngressController {
  /**
   * ingress-nginx, the controller the seed guides assume. It was retired in March 2026 and gets no
   * more security fixes: use it only where it still runs, and plan the move to the Gateway API.
   * Enforces every rule per Ingress except HSTS, which it sets controller-wide (ConfigMap `hsts*`,
   * on by default for a year with subdomains).
   * @see https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/
   */
  public static ingressNginx(options: IngressControllerOptions = {}): IngressController {
    return new IngressController({
      description: 'ingress-nginx',
      peer: options?.peer ?? NetworkPeer.namespace('ingress-nginx'),
      ingressClassName: options?.className ?? 'nginx',
      limitations: {
        [TrafficFeature.HSTS_OPTIONS]: 'ingress-nginx sets HSTS controller-wide (ConfigMap keys hsts, hsts-max-age, hsts-include-subdomains, hsts-preload); leave it unset',
      },
      annotations: nginxAnnotations,
    });
  }

  /**
   * The HAProxy Kubernetes Ingress Controller (haproxytech). Enforces the redirect, HSTS, rate
   * limits, the backend timeout, CORS and allow-lists per Ingress; it has no per-Ingress
   * annotation for body size, connect timeout or per-client connection limits (ConfigMap only).
   * Its backend settings are per Service: every Ingress that routes to a Service shares them.
   * @see https://github.com/haproxytech/kubernetes-ingress/blob/master/documentation/annotations.md
   */
  public static haproxy(options: IngressControllerOptions = {}): IngressController {
    const configMapOnly = 'the HAProxy ingress controller sets it in its ConfigMap only, for all traffic';
    return new IngressController({
      description: 'the HAProxy ingress controller',
      peer: options?.peer ?? NetworkPeer.namespace('haproxy-controller'),
      ingressClassName: options?.className ?? 'haproxy',
      limitations: {
        [TrafficFeature.MAX_BODY_SIZE]: 'the HAProxy ingress controller has no body-size annotation',
        [TrafficFeature.CONNECT_TIMEOUT]: configMapOnly,
        [TrafficFeature.CONNECTION_LIMIT]: 'the HAProxy ingress controller limits connections per backend, not per client',
      },
      annotations: haproxyAnnotations,
      operator: Operator.HAPROXY_INGRESS,
    });
  }

  /**
   * Gateway API (standard channel, v1): `HTTPRoute`s attached to a `Gateway`, the forward path for
   * every implementation. The standard API enforces TLS, the redirect (HTTP listener), HSTS
   * (response header filter), CORS and the backend timeout (both "Extended" support: check that the
   * implementation supports them). Rate limits, body size, connect timeouts and source allow-lists
   * need an implementation-specific policy (e.g. Envoy Gateway's BackendTrafficPolicy and
   * SecurityPolicy) that this construct does not write, so they are refused here.
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
   */
  public static gatewayApi(options: GatewayOptions): IngressController {
    const policy = 'the standard Gateway API has no field for it: attach an implementation-specific policy to the HTTPRoute instead';
    return new IngressController({
      description: 'the Gateway API',
      peer: options?.peer,
      // Options a caller without a type checker left out are an empty Gateway, which the check of the controller refuses.
      gateway: options ?? {} as GatewayOptions,
      limitations: {
        [TrafficFeature.RATE_LIMIT]: policy,
        [TrafficFeature.CONNECTION_LIMIT]: policy,
        [TrafficFeature.MAX_BODY_SIZE]: policy,
        [TrafficFeature.CONNECT_TIMEOUT]: policy,
        [TrafficFeature.SOURCE_ALLOW_LIST]: policy,
      },
    });
  }

  /** The controller's or gateway's proxy pods: the only peer the backends admit. */
  public readonly peer: NetworkPeer;
  /** IngressClass of the Ingress rendering; unset for the Gateway API. */
  public readonly ingressClassName?: string;
  /** The Gateway of the Gateway API rendering; unset for an Ingress. */
  public readonly gateway?: GatewayOptions;
  /** Name of the controller in messages. */
  public readonly description: string;
  private readonly limitations: Partial<Record<TrafficFeature, string>>;
  private readonly annotations?: ControllerSpec['annotations'];
  /**
   * The controller as the prerequisites name it, with its version, when the library knows which version its
   * annotations were written for.
   * @internal
   */
  public readonly operator?: Operator;

  private constructor(spec: ControllerSpec) {
    this.description = spec.description;
    this.peer = spec.peer;
    this.ingressClassName = spec.ingressClassName;
    this.gateway = spec.gateway;
    this.limitations = spec.limitations;
    this.annotations = spec.annotations;
    this.operator = spec.operator;
  }

  /**
   * Checks the controller given to `scope` as `prop`: an IngressClass name the API server accepts (a
   * DNS subdomain: `ingressClassName` of an Ingress is refused otherwise), the proxy pods as a
   * NetworkPolicy peer, and the kinds of a Gateway's options (HardenedIngress checks their values).
   * @internal
   */
  public check(scope: IConstruct, prop: string): void {
    if (this.gateway === undefined) {
      checkDnsSubdomain(scope, `${prop}.className`, this.ingressClassName as string);
    } else {
      Kind.object('a GatewayOptions object (name, peer, and optionally gatewayClassName, namespace and listeners)', {
        name: Kind.STRING,
        peer: NETWORK_PEER_KIND,
        gatewayClassName: Kind.STRING.optional(),
        namespace: Kind.STRING.optional(),
        httpsListener: Kind.STRING.optional(),
        httpListener: Kind.STRING.optional(),
      }).check(scope, `${prop}.gateway`, this.gateway);
    }
    checkNetworkPeer(scope, `${prop}.peer`, this.peer);
  }

  /** Why this rendering cannot enforce `feature`, or undefined when it can. */
  public limitation(feature: TrafficFeature): string | undefined {
    return this.limitations[feature];
  }

  /** The Ingress annotations that enforce `traffic` (and a source allow-list); empty for the Gateway API. */
  public renderAnnotations(traffic: TrafficOptions, allowedSourceRanges: readonly string[] = []): Record<string, string> {
    return this.annotations?.(resolveTraffic(traffic), allowedSourceRanges) ?? {};
  }
}
