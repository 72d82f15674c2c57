import { Construct } from 'constructs';
import { ClusterIssuer, ClusterIssuerSpecAcmeSolvers, ClusterIssuerSpecAcmeSolversHttp01 } from '../../imports/cert-manager.io';
import { boundedName, clusterScoped } from '../core/names';
import { Prerequisite } from '../core/prerequisites';
import { NetworkPolicyRules, PolicyType } from '../network/network-policy-rules';
import { HTTP_LISTENER } from './_gateway-routes';
import { CertificateIssuer } from './certificate-issuer';
import { IngressController } from './ingress-controller';

// Internal: the ACME ClusterIssuer a HardenedIngress declares, and what its solvers need. Not exported from the package.

const ACME_SOLVER_LABEL = 'acme.cert-manager.io/http01-solver';
const ACME_SOLVER_PORT = 8089;
const SOLVER_SERVICE_TYPE = 'ClusterIP';
/** The longest name of most objects (a DNS-1123 subdomain). */
const MAX_NAME_LENGTH = 253;

/** Where the routes of the issuer's HardenedIngress are. */
export interface AcmeIssuerContext {
  /** Prefix of the solver NetworkPolicy's name. */
  readonly name: string;
  /** Namespace of the certificates, where cert-manager runs the HTTP-01 solver pods. */
  readonly namespace: string;
  /** Labels of the objects. */
  readonly labels: Record<string, string>;
  /** What carries traffic in, and so the HTTP-01 challenges. */
  readonly controller: IngressController;
}

/**
 * The ClusterIssuer of `issuer` (an ACME issuer declared here): a DNS-01 solver for the names of its zones, when it has
 * one, and the HTTP-01 solver for the others; and the NetworkPolicy that admits the controller to the HTTP-01 solver
 * pods, which run in the namespace of the certificates, behind its default-deny policy.
 */
export function addAcmeIssuer(scope: Construct, issuer: CertificateIssuer, context: AcmeIssuerContext): { clusterIssuer: ClusterIssuer; solverPolicy: NetworkPolicyRules } {
  const acme = issuer.acme!;
  const solvers: ClusterIssuerSpecAcmeSolvers[] = [];
  if (acme.dns01 !== undefined) {
    // The most specific dnsZones match wins over a solver without selector (cert-manager v1.21.1, pkg/util/solverpicker).
    solvers.push({ selector: { dnsZones: [...acme.dns01.zones] }, dns01: acme.dns01.provider.render() });
  }
  solvers.push({ http01: http01Solver(context) });
  const clusterIssuer = new ClusterIssuer(scope, 'ClusterIssuer', {
    metadata: { name: issuer.name, labels: context.labels },
    spec: { acme: { server: acme.server.url, email: acme.email, privateKeySecretRef: { name: boundedName(issuer.name, MAX_NAME_LENGTH, '-account-key') }, solvers } },
  });
  clusterScoped(clusterIssuer);
  const solverPolicy = new NetworkPolicyRules(scope, 'AcmeSolverPolicy', {
    name: `${context.name}-acme-http01-solver`,
    namespace: context.namespace,
    podSelector: { [ACME_SOLVER_LABEL]: 'true' },
    labels: context.labels,
    policyTypes: [PolicyType.INGRESS],
  });
  solverPolicy.allowIngress(context.controller.peer, [{ port: ACME_SOLVER_PORT }]);
  return { clusterIssuer, solverPolicy };
}

/** What the solvers of a declared ACME issuer need from cert-manager: how it runs the HTTP-01 solver pods, and the DNS-01 provider's identity. */
export function acmeIssuerPrerequisites(issuer: CertificateIssuer, context: AcmeIssuerContext): Prerequisite[] {
  const dns01 = issuer.acme?.dns01;
  return [
    Prerequisite.controllerSetting('cert-manager',
      'runs the ACME HTTP-01 solver pods with its defaults: non-root (--acme-http01-solver-run-as-non-root), with cpu and memory requests and limits',
      `the solver pods run in namespace ${context.namespace}, where Pod Security restricted and the ResourceQuota admit only such pods`),
    ...context.controller.gateway !== undefined
      ? [Prerequisite.controllerSetting('cert-manager',
        'Gateway API support on: --enable-gateway-api, or gatewayAPI.enabled: true in its controller configuration (off by default)',
        'the ClusterIssuer solves HTTP-01 with an HTTPRoute on the Gateway\'s HTTP listener')]
      : [],
    ...dns01 !== undefined ? dns01.provider.prerequisites(issuer.clusterResourceNamespace, dns01.zones) : [],
  ];
}

/**
 * The HTTP-01 solver: cert-manager's solver Service is a NodePort unless `serviceType` says otherwise
 * (cert-manager v1.21.1, pkg/issuer/acme/http/service.go), and the namespace baseline's quota allows no
 * node ports; a ClusterIP Service is all the ingress controller or Gateway needs to reach the solver pod.
 */
function http01Solver(context: AcmeIssuerContext): ClusterIssuerSpecAcmeSolversHttp01 {
  const gateway = context.controller.gateway;
  if (gateway === undefined) {
    return { ingress: { ingressClassName: context.controller.ingressClassName, serviceType: SOLVER_SERVICE_TYPE } };
  }
  return {
    gatewayHttpRoute: {
      serviceType: SOLVER_SERVICE_TYPE,
      parentRefs: [{
        kind: 'Gateway',
        name: gateway.name,
        namespace: gateway.namespace ?? context.namespace,
        sectionName: gateway.gatewayClassName !== undefined ? HTTP_LISTENER : gateway.httpListener ?? HTTP_LISTENER,
      }],
    },
  };
}
