import { Testing } from 'cdk8s';
import { Platform } from '../../apps/platform';
import { DEV, PROD, StageConfig } from '../../apps/stages';
import { parsePromql } from '../promql';
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

  test('every namespaced object of a stage lives in the stage namespace', () => {
    for (const stage of [DEV, PROD]) {
      for (const m of synthStage(stage).filter((o) => o.kind !== 'Namespace')) {
        expect(`${m.kind}/${m.metadata.name} in ${m.metadata.namespace}`).toBe(`${m.kind}/${m.metadata.name} in ${stage.namespace}`);
      }
    }
  });

  test('every stage carries the platform alerts and, for each service, its alerts and a dashboard', () => {
    for (const stage of [DEV, PROD]) {
      const manifests = synthStage(stage);
      const deployments = ofKind(manifests, 'Deployment').map((d) => d.metadata.name);
      expect(ofKind(manifests, 'PrometheusRule').map((r) => r.metadata.name).sort()).toEqual(['platform-alerts', ...deployments].sort());
      for (const name of deployments) {
        expect(one(manifests, 'ConfigMap', `${name}-dashboard`).metadata.labels.grafana_dashboard).toBe('1');
      }
      for (const rule of ofKind(manifests, 'PrometheusRule').flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules))) {
        expect(parsePromql(rule.expr).errors).toEqual([]);
        expect(rule.expr).toContain(`namespace="${stage.namespace}"`);
        expect(rule.annotations.runbook_url.startsWith(`${stage.runbookBaseUrl}/`)).toBe(true);
      }
    }
  });
});
