import { Testing } from 'cdk8s';
import { Platform } from '../../apps/platform';
import { DEV, PROD, StageConfig } from '../../apps/stages';
import { Prerequisite } from '../../lib';
import { Manifest, ofKind, one } from '../util';

// Issue 19: the Aileron checklist (../shared/seeds) asks for DNS records for every host, TLS for wildcard hosts, a private
// registry with image pull secrets, and log collection configured.

function build(stage: StageConfig): { platform: Platform; manifests: Manifest[] } {
  const platform = new Platform(Testing.app(), 'platform', stage);
  return { platform, manifests: Testing.synth(platform) as Manifest[] };
}

/** Every pod spec of the manifests: the controllers' templates, and what the CloudNativePG operator reads for its pods. */
function podSpecs(manifests: Manifest[]): Array<[string, any]> {
  return manifests.flatMap((m): Array<[string, any]> => {
    const name = `${m.kind}/${m.metadata.name}`;
    if (m.kind === 'CronJob') {
      return [[name, m.spec.jobTemplate.spec.template.spec]];
    }
    if (m.kind === 'Cluster') {
      return [[name, m.spec]];
    }
    return m.spec?.template?.spec !== undefined ? [[name, m.spec.template.spec]] : [];
  });
}

describe('stage apps: registry, DNS records, log collection', () => {
  test.each([DEV, PROD])('$name: every pod of the stage pulls with the stage\'s registry credentials, produced in its namespace', (stage) => {
    // WHEN
    const { manifests } = build(stage);

    // THEN
    const pods = podSpecs(manifests);
    const kinds = [...new Set(pods.map(([name]) => name.split('/')[0]))].sort();
    expect(kinds).toEqual(stage.database.poolerInstances !== undefined ? ['Cluster', 'CronJob', 'Deployment', 'Job', 'Pooler'] : ['Cluster', 'CronJob', 'Deployment', 'Job']);
    for (const [name, pod] of pods) {
      expect([name, pod.imagePullSecrets]).toEqual([name, [{ name: 'aishell-registry' }]]);
    }
    const credentials = one(manifests, 'ExternalSecret', 'aishell-registry');
    expect(credentials.metadata.namespace).toBe(stage.namespace);
    expect(credentials.spec.target.template.type).toBe('kubernetes.io/dockerconfigjson');
    for (const deployment of ofKind(manifests, 'Deployment').filter((d) => d.metadata.labels['app.kubernetes.io/part-of'] === 'aishell')) {
      expect(deployment.spec.template.spec.containers[0].image).toBe(`registry.example.com/aishell/aishell:${stage.imageTag}`);
    }
  });

  test('the database keeps the public CloudNativePG operand image: the pull secret serves a mirror once `image` names one', () => {
    const { manifests } = build(PROD);
    expect(one(manifests, 'Cluster').spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:18.4-minimal-trixie');
  });

  test('prod: ExternalDNS creates the host\'s record from the Ingress, which carries the TTL', () => {
    // WHEN
    const { platform, manifests } = build(PROD);

    // THEN
    expect(one(manifests, 'Ingress').metadata.annotations['external-dns.kubernetes.io/ttl']).toBe('300');
    const titles = Prerequisite.declaredIn(platform).map((d) => d.prerequisite.title);
    expect(titles).toEqual(expect.arrayContaining([
      'ExternalDNS 0.22',
      'ExternalDNS: --source=ingress',
      'ExternalDNS: --policy=sync',
      'ExternalDNS: --txt-owner-id=aishell-prod',
      'ExternalDNS: --domain-filter=example.com, with write access to the zone example.com at its DNS provider',
      'aishell.example.com -> the load balancer of the HAProxy ingress controller (IngressClass haproxy) (ExternalDNS creates it)',
    ]));
  });

  test('dev: ExternalDNS creates the records of both hosts from the HTTPRoutes', () => {
    // WHEN
    const { platform, manifests } = build(DEV);

    // THEN
    for (const route of ofKind(manifests, 'HTTPRoute')) {
      expect(route.metadata.annotations['external-dns.kubernetes.io/ttl']).toBe('300');
    }
    const titles = Prerequisite.declaredIn(platform).map((d) => d.prerequisite.title);
    expect(titles).toEqual(expect.arrayContaining([
      'ExternalDNS: --source=gateway-httproute',
      'ExternalDNS: --txt-owner-id=aishell-dev',
      'ExternalDNS: --domain-filter=dev.example.com, with write access to the zone dev.example.com at its DNS provider',
      'aishell.dev.example.com -> the address of Gateway aishell-dev/aishell (ExternalDNS creates it)',
      'ide.aishell.dev.example.com -> the address of Gateway aishell-dev/aishell (ExternalDNS creates it)',
    ]));
  });

  test('prod: the ClusterIssuer solves DNS-01 in Route 53 for example.com with cert-manager\'s IAM role, HTTP-01 for other names', () => {
    // WHEN
    const { platform, manifests } = build(PROD);

    // THEN
    expect(one(manifests, 'ClusterIssuer', 'letsencrypt-prod').spec.acme.solvers).toEqual([
      { selector: { dnsZones: ['example.com'] }, dns01: { route53: {} } },
      { http01: { ingress: { ingressClassName: 'haproxy', serviceType: 'ClusterIP' } } },
    ]);
    expect(Prerequisite.declaredIn(platform).map((d) => d.prerequisite.title))
      .toContain('AWS IAM role arn:aws:iam::111122223333:role/cert-manager-route53 trusts ServiceAccount cert-manager/cert-manager');
  });

  test.each([DEV, PROD])('$name: the prerequisites say which collector ships the logs, and where; only the database\'s pods claim JSON', (stage) => {
    // WHEN
    const { platform, manifests } = build(stage);

    // THEN
    const titles = Prerequisite.declaredIn(platform).map((d) => d.prerequisite.title);
    expect(titles).toContain(`Fluent Bit: collects the containers' standard output on every node and ships it to ${stage.logs.destination}`);
    const templates = manifests.filter((m) => ['Deployment', 'Job'].includes(m.kind)).map((m) => m.spec.template)
      .concat(ofKind(manifests, 'CronJob').map((m) => m.spec.jobTemplate.spec.template));
    expect(templates.length).toBeGreaterThan(3);
    for (const template of templates) {
      expect(Object.keys(template.metadata.annotations ?? {}).filter((k) => k.startsWith('fluentbit.io/'))).toEqual([]);
    }
    for (const pooler of ofKind(manifests, 'Pooler')) {
      expect(pooler.spec.template.metadata.annotations).toEqual({ 'fluentbit.io/parser-pgbouncer': 'json' });
    }
    expect(one(manifests, 'Cluster').spec.inheritedMetadata.annotations).toEqual({ 'fluentbit.io/parser-postgres': 'json' });
  });
});
