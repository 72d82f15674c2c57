import { Testing } from 'cdk8s';
import { Platform } from '../../apps/platform';
import { DEV, PROD, StageConfig } from '../../apps/stages';
import { Guardrails, Prerequisite, PrerequisiteKind } from '../../lib';
import { Manifest, ofKind, one } from '../util';

// The hosts, from their clients' defaults: anthropic-sdk-python `Anthropic.__init__` (base_url https://api.anthropic.com),
// openai-python `OpenAI.__init__` (https://api.openai.com/v1); barman-cloud addresses the bucket virtual-hosted at
// `<bucket>.s3.<region>.amazonaws.com` when no endpointURL is given (research notes, Part B6; test/postgres/object-store.test.ts).
// What Cilium 1.18 needs (toFQDNs, the DNS rule, node-local DNS through a Local Redirect Policy): research notes, Part B1-B3.

function synthStage(stage: StageConfig): { manifests: Manifest[]; guardrails: Guardrails; chart: Platform } {
  const app = Testing.app();
  const chart = new Platform(app, 'platform', stage);
  const guardrails = Guardrails.apply(app);
  return { manifests: Testing.synth(chart) as Manifest[], guardrails, chart };
}

const HTTPS = [{ ports: [{ port: '443', protocol: 'TCP' }] }];
const LLM_PROVIDERS = { toFQDNs: [{ matchName: 'api.anthropic.com' }, { matchName: 'api.openai.com' }], toPorts: HTTPS };

describe.each([DEV, PROD])('the $name stage reaches hosts outside the cluster', (stage) => {
  const { manifests, guardrails, chart } = synthStage(stage);

  test('the API and the worker reach exactly their LLM providers, by name, on 443/TCP, and no other host by name', () => {
    for (const name of ['aishell', 'aishell-worker']) {
      const policy = one(manifests, 'CiliumNetworkPolicy', name);
      expect(policy.spec.endpointSelector).toEqual({ matchLabels: one(manifests, 'Deployment', name).spec.selector.matchLabels });
      expect(policy.spec.egress.slice(1)).toEqual([LLM_PROVIDERS]);
    }
  });

  test('every CiliumNetworkPolicy with hosts by name lets Cilium\'s DNS proxy see every lookup, to the DNS pods the stage names', () => {
    const dnsPods = stage.dns.serverPods.map((pods) => ({
      matchLabels: { 'k8s:io.kubernetes.pod.namespace': pods.namespace, ...Object.fromEntries(Object.entries(pods.labels).map(([k, v]) => [`k8s:${k}`, v])) },
    }));
    const byName = ofKind(manifests, 'CiliumNetworkPolicy').filter((policy) => policy.spec.egress.some((rule: any) => rule.toFQDNs !== undefined));
    expect(byName.length).toBeGreaterThan(0);
    for (const policy of byName) {
      expect(policy.spec.egress[0]).toEqual({
        toEndpoints: dnsPods,
        toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }], rules: { dns: [{ matchPattern: '*' }] } }],
      });
    }
  });

  test('the database\'s pods reach the API server by Cilium\'s entity on the stage\'s port, its poolers\' too', () => {
    // Cilium 1.18 does not match a CIDR rule against the cluster's own nodes by default (Documentation/security/policy/
    // language.rst, "Selecting nodes with CIDR / ipBlock"): the kube-apiserver entity reaches a self-hosted API server.
    const apiServer = { toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: String(stage.kubernetesApi.port), protocol: 'TCP' }] }] };
    const selecting = ofKind(manifests, 'CiliumNetworkPolicy').filter((policy) => policy.spec.egress.some((rule: any) => rule.toEntities !== undefined));
    expect(selecting.map((policy) => policy.metadata.name).sort()).toEqual(ofKind(manifests, 'Pooler').length > 0 ? ['aishell-db', 'aishell-db-pooler'] : ['aishell-db']);
    for (const policy of selecting) {
      expect(policy.spec.egress).toContainEqual(apiServer);
    }
  });

  test('no NetworkPolicy opens every address, and the egress guardrails find nothing', () => {
    for (const policy of ofKind(manifests, 'NetworkPolicy')) {
      for (const rule of policy.spec.egress ?? []) {
        expect([policy.metadata.name, rule.to?.length ?? 0]).not.toEqual([policy.metadata.name, 0]);
        expect(JSON.stringify(rule.to)).not.toMatch(/"cidr":"(0\.0\.0\.0|::)\/0"/);
      }
    }
    const report = guardrails.evaluate();
    expect(report.findings.filter((f) => ['network-egress-open', 'network-egress-by-name', 'credentials-egress'].includes(f.rule.id))).toEqual([]);
  });

  test('the LLM keys say which hosts they are for', () => {
    expect(one(manifests, 'ExternalSecret', 'aishell-llm-keys').metadata.annotations['cdk8s-golden-path/credentials-for'])
      .toBe('api.anthropic.com:443/TCP api.openai.com:443/TCP');
  });

  test('declares Cilium 1.18 with its CRD and the L7 proxy its DNS proxy needs', () => {
    const declared = Prerequisite.declaredIn(chart).map((d) => d.prerequisite);
    expect(declared.filter((p) => p.kind === PrerequisiteKind.OPERATOR).map((p) => p.title)).toContain('Cilium 1.18');
    expect(declared.find((p) => p.title === 'Cilium 1.18')?.details.crds).toEqual(['ciliumnetworkpolicies.cilium.io']);
    expect(declared.map((p) => p.title)).toContain('Cilium agent: enable-l7-proxy: true (Helm l7Proxy: true, the default)');
  });
});

describe('the database\'s backups', () => {
  test('prod reaches exactly its bucket\'s regional host, by name, on 443/TCP, with the region given to the backup sidecar', () => {
    const { manifests } = synthStage(PROD);

    expect(one(manifests, 'CiliumNetworkPolicy', 'aishell-db').spec.egress.slice(1).filter((rule: any) => rule.toEntities === undefined))
      .toEqual([{ toFQDNs: [{ matchName: 'aishell-prod-backups.s3.eu-west-1.amazonaws.com' }], toPorts: HTTPS }]);
    expect(one(manifests, 'ObjectStore', 'aishell-db').spec.instanceSidecarConfiguration.env).toEqual([{ name: 'AWS_DEFAULT_REGION', value: 'eu-west-1' }]);
  });

  test('dev keeps no backups, so its database reaches nothing outside the cluster', () => {
    // The services and the IDE reach their LLM providers, the IDE's sign-in proxy its identity provider; the database no
    // host by name: its CiliumNetworkPolicy holds the API server alone.
    const policies = ofKind(synthStage(DEV).manifests, 'CiliumNetworkPolicy');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual(['aishell', 'aishell-db', 'aishell-ide', 'aishell-ide-sign-in', 'aishell-worker']);
    expect(one(policies, 'CiliumNetworkPolicy', 'aishell-db').spec.egress.map((rule: any) => Object.keys(rule)[0])).toEqual(['toEntities']);
  });
});

test('prod resolves through NodeLocal DNSCache behind a Local Redirect Policy, the setup Cilium documents, and says so', () => {
  const { manifests, chart } = synthStage(PROD);

  expect(one(manifests, 'NetworkPolicy', 'allow-dns').spec.egress.map((rule: any) => rule.to[0].podSelector.matchLabels))
    .toEqual([{ 'k8s-app': 'node-local-dns' }, { 'k8s-app': 'kube-dns' }]);
  expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).toContainEqual(
    expect.stringMatching(/^Cilium: localRedirectPolicies.enabled: true, and a CiliumLocalRedirectPolicy in kube-system whose redirectFrontend is the kube-dns Service/));
});
