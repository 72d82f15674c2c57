import { Testing } from 'cdk8s';
import { Platform } from '../../apps/platform';
import { DEV, PROD, StageConfig } from '../../apps/stages';
import { DeclaredPrerequisite, Prerequisite, PrerequisiteKind } from '../../lib';
import { Manifest, ofKind } from '../util';

function declared(stage: StageConfig): { prerequisites: DeclaredPrerequisite[]; manifests: Manifest[] } {
  const chart = new Platform(Testing.app(), 'platform', stage);
  return { prerequisites: Prerequisite.declaredIn(chart), manifests: Testing.synth(chart) as Manifest[] };
}

function titles(prerequisites: DeclaredPrerequisite[], kind: PrerequisiteKind): string[] {
  return prerequisites.filter((d) => d.prerequisite.kind === kind).map((d) => d.prerequisite.title);
}

// What PREREQUISITES.md must say for the stage to work when applied (issue 11: "a written contract with the cluster").
describe.each([DEV, PROD])('the $name stage declares what the cluster must provide', (stage) => {
  const { prerequisites, manifests } = declared(stage);

  test('the Kubernetes versions the operators support: CloudNativePG 1.30\'s 1.34 to 1.36', () => {
    // cloudnative-pg v1.30.0 docs/src/supported_releases.md l.90-92; cert-manager 1.21 supports 1.33 to 1.36 (cert-manager.io/docs/releases).
    expect(titles(prerequisites, PrerequisiteKind.KUBERNETES)).toEqual(['Kubernetes 1.34 to 1.36']);
  });

  test('every operator whose objects it writes, with its CRDs', () => {
    const used = new Set(manifests.map((m) => m.apiVersion.split('/')[0]));
    const operators = titles(prerequisites, PrerequisiteKind.OPERATOR);
    const expected: Array<[string, string]> = [
      ['postgresql.cnpg.io', 'CloudNativePG 1.30'],
      ['external-secrets.io', 'External Secrets Operator 2.9'],
      ['cert-manager.io', 'cert-manager 1.21'],
      ['monitoring.coreos.com', 'prometheus-operator (kube-prometheus-stack 88) 0.93'],
      ['barmancloud.cnpg.io', 'Barman Cloud plugin for CloudNativePG 0.14'],
      ['gateway.networking.k8s.io', 'Gateway API (standard channel) and an implementation 1.6'],
      ['cilium.io', 'Cilium 1.18'],
    ];
    for (const [group, operator] of expected) {
      expect([group, used.has(group) && !operators.includes(operator)]).toEqual([group, false]);
    }
  });

  test('the cluster-scoped objects it names: the ClusterSecretStore, the StorageClass, the GatewayClass or IngressClass', () => {
    const objects = titles(prerequisites, PrerequisiteKind.CLUSTER_OBJECT);
    expect(objects).toContain(`ClusterSecretStore ${stage.secrets.store.name}`);
    expect(objects).toContain(`StorageClass ${stage.database.storage.storageClassName ?? '(the default StorageClass)'}`);
    const gateway = stage.ingress.controller.gateway;
    expect(objects).toContain(gateway !== undefined ? `GatewayClass ${gateway.gatewayClassName}` : `IngressClass ${stage.ingress.controller.ingressClassName}`);
    // The ClusterIssuer is declared in the manifests, so it is no prerequisite.
    expect(ofKind(manifests, 'ClusterIssuer')).toHaveLength(1);
    expect(objects.filter((o) => o.startsWith('ClusterIssuer'))).toEqual([]);
  });

  test('every key each ExternalSecret reads from the store', () => {
    // The Redis password's ExternalSecret reads a generator in the manifests, no store.
    const keys = ofKind(manifests, 'ExternalSecret').flatMap((es) => (es.spec.data ?? []).map((d: any) => `${es.spec.secretStoreRef.kind} ${es.spec.secretStoreRef.name}: ${d.remoteRef.key}`));
    expect(keys.length).toBeGreaterThan(0);
    expect(titles(prerequisites, PrerequisiteKind.SECRET_STORE_KEY).sort()).toEqual(keys.sort());
  });

  test('the settings of the controllers it relies on: Prometheus\' selector, the Grafana sidecar, cert-manager\'s solver (and Gateway API flag)', () => {
    const settings = titles(prerequisites, PrerequisiteKind.CONTROLLER_SETTING);
    expect(settings).toContainEqual(expect.stringMatching(/^Prometheus: .* selects ServiceMonitors, PodMonitors and PrometheusRules labelled release=kube-prometheus-stack in every namespace/));
    expect(settings).toContainEqual(expect.stringMatching(/^Grafana dashboard sidecar: loads ConfigMaps labelled grafana_dashboard=1 from every namespace/));
    expect(settings).toContainEqual(expect.stringMatching(/^cert-manager: runs the ACME HTTP-01 solver pods/));
    expect(settings.some((s) => s.includes('--enable-gateway-api'))).toBe(stage.ingress.controller.gateway !== undefined);
  });

  test('the DNS record of every routed host, and the network facts its NetworkPolicies assume', () => {
    const hosts = [stage.ingress.host, ...stage.ide !== undefined ? [stage.ide.host] : []];
    expect(titles(prerequisites, PrerequisiteKind.DNS_RECORD)).toEqual(hosts.map((host) => expect.stringMatching(new RegExp(`^${host.replace(/\./g, '\\.')} -> `))));
    const network = titles(prerequisites, PrerequisiteKind.NETWORK);
    expect(network).toContain(`the Kubernetes API server endpoints are addresses in ${stage.kubernetesApi.cidr}, port ${stage.kubernetesApi.port}`);
    expect(network).toContain(stage.dns.description);
    expect(network).toContainEqual(expect.stringMatching(/^Prometheus scrapes from pods with app.kubernetes.io\/name=prometheus/));
  });

  test('every monitoring object carries the labels the Prometheus it declares selects', () => {
    for (const monitor of manifests.filter((m) => ['ServiceMonitor', 'PodMonitor', 'PrometheusRule'].includes(m.kind))) {
      expect([monitor.kind, monitor.metadata.name, monitor.metadata.labels]).toEqual([monitor.kind, monitor.metadata.name, expect.objectContaining(stage.prometheus.selectorLabels)]);
    }
  });
});

test('prod declares the autoscalers\' metrics API, dev runs none', () => {
  expect(titles(declared(PROD).prerequisites, PrerequisiteKind.CLUSTER_OBJECT)).toContain('APIService v1beta1.metrics.k8s.io');
  expect(titles(declared(DEV).prerequisites, PrerequisiteKind.CLUSTER_OBJECT)).not.toContain('APIService v1beta1.metrics.k8s.io');
});
