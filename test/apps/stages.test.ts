import { Testing } from 'cdk8s';
import { Platform } from '../../apps/platform';
import { DEV, PROD, StageConfig } from '../../apps/stages';
import { Manifest, ofKind, one } from '../util';

function synthStage(stage: StageConfig): Manifest[] {
  return Testing.synth(new Platform(Testing.app(), 'platform', stage)) as Manifest[];
}

describe('stage apps', () => {
  test('dev matches the snapshot', () => {
    expect(synthStage(DEV)).toMatchSnapshot();
  });

  test('prod matches the snapshot', () => {
    expect(synthStage(PROD)).toMatchSnapshot();
  });

  test('dev runs one replica of each service, without autoscaler or disruption budget', () => {
    const dev = synthStage(DEV);
    for (const deployment of ofKind(dev, 'Deployment')) {
      expect(deployment.spec.replicas).toBe(1);
    }
    expect(ofKind(dev, 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(ofKind(dev, 'PodDisruptionBudget')).toHaveLength(0);
  });

  test('prod autoscales every service from at least 2 replicas and protects it with a disruption budget', () => {
    const prod = synthStage(PROD);
    const deployments = ofKind(prod, 'Deployment');
    expect(deployments.length).toBeGreaterThanOrEqual(2);
    for (const deployment of deployments) {
      const hpa = one(prod, 'HorizontalPodAutoscaler', deployment.metadata.name);
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(one(prod, 'PodDisruptionBudget', deployment.metadata.name).spec.maxUnavailable).toBe(1);
    }
  });

  test('dev and prod pods have the same security context', () => {
    const securityOf = (manifests: Manifest[]) => ofKind(manifests, 'Deployment').map((d) => ({
      pod: d.spec.template.spec.securityContext,
      containers: d.spec.template.spec.containers.map((c: any) => c.securityContext),
      token: d.spec.template.spec.automountServiceAccountToken,
    }));
    expect(securityOf(synthStage(DEV))).toEqual(securityOf(synthStage(PROD)));
  });

  test('dev runs one database instance without backups; prod three synchronous instances backed up to the stage\'s store', () => {
    const devCluster = one(synthStage(DEV), 'Cluster', 'aishell-db');
    expect(devCluster.spec.instances).toBe(1);
    expect(devCluster.spec.plugins).toBeUndefined();
    expect(ofKind(synthStage(DEV), 'ScheduledBackup')).toHaveLength(0);

    const prod = synthStage(PROD);
    const prodCluster = one(prod, 'Cluster', 'aishell-db');
    expect(prodCluster.spec.instances).toBe(3);
    expect(prodCluster.spec.postgresql.synchronous).toMatchObject({ method: 'any', number: 1, dataDurability: 'required' });
    expect(prodCluster.spec.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'aishell-db' } }]);
    const store = one(prod, 'ObjectStore', 'aishell-db').spec;
    expect(store.configuration.destinationPath).toBe(PROD.database.backup?.destinationPath);
    expect(store.configuration.s3Credentials.secretAccessKey.name).toBe(PROD.database.backup?.credentialsSecretName);
    expect(one(prod, 'ScheduledBackup', 'aishell-db').spec.method).toBe('plugin');
    expect(ofKind(prod, 'PrometheusRule').map((r) => r.metadata.name)).toEqual(['aishell-db']);
  });

  test('both services reach the database with the operator\'s credentials, through the pooler in prod', () => {
    for (const [stage, host, peer] of [
      [DEV, 'aishell-db-rw.aishell-dev.svc', { 'cnpg.io/cluster': 'aishell-db', 'cnpg.io/podRole': 'instance' }],
      [PROD, 'aishell-db-pooler.aishell.svc', { 'cnpg.io/poolerName': 'aishell-db-pooler' }],
    ] as const) {
      const manifests = synthStage(stage);
      for (const name of ['aishell', 'aishell-worker']) {
        const env = one(manifests, 'Deployment', name).spec.template.spec.containers[0].env;
        expect(env).toContainEqual({ name: 'PGHOST', value: host });
        expect(env).toContainEqual({ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: 'aishell-db-app', key: 'password', optional: false } } });
        expect(one(manifests, 'NetworkPolicy', name).spec.egress).toContainEqual({
          to: [{ podSelector: { matchLabels: peer } }], ports: [{ port: 5432, protocol: 'TCP' }],
        });
      }
    }
  });

  test('every namespaced object of a stage lives in the stage namespace', () => {
    for (const stage of [DEV, PROD]) {
      for (const m of synthStage(stage).filter((o) => o.kind !== 'Namespace')) {
        expect(`${m.kind}/${m.metadata.name} in ${m.metadata.namespace}`).toBe(`${m.kind}/${m.metadata.name} in ${stage.namespace}`);
      }
    }
  });
});
