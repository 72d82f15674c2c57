import { Testing } from 'cdk8s';
import { Guardrails } from 'cdk8s-golden-path';
import { OrdersPlatform } from '../src/orders-platform';
import { DEV, PROD, STAGES, StageConfig } from '../src/stages';

function synth(stage: StageConfig): any[] {
  return Testing.synth(new OrdersPlatform(Testing.app(), 'orders', stage));
}

describe('OrdersPlatform', () => {
  test.each(STAGES.map((s) => [s.name, s] as const))('%s passes its guardrails', (_name, stage) => {
    const app = Testing.app();
    new OrdersPlatform(app, 'orders', stage);
    const report = Guardrails.apply(app).evaluate();
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
  });

  test('prod runs three synchronous database instances with scheduled backups; dev one, without', () => {
    const prod = synth(PROD);
    expect(prod.find((m) => m.kind === 'Cluster').spec.instances).toBe(3);
    expect(prod.filter((m) => m.kind === 'ScheduledBackup')).toHaveLength(1);
    const dev = synth(DEV);
    expect(dev.find((m) => m.kind === 'Cluster').spec.instances).toBe(1);
    expect(dev.filter((m) => m.kind === 'ScheduledBackup')).toHaveLength(0);
  });

  test('the team alert watches its own namespace', () => {
    const rule = synth(PROD).find((m) => m.kind === 'PrometheusRule' && m.metadata.name === 'orders-slo');
    expect(rule.metadata.namespace).toBe('orders');
    expect(rule.spec.groups[0].rules[0].expr).toBe('sum(orders_queue_depth{namespace="orders"}) > 1000');
  });

  test('the worker reads the payment key as a file, never from its environment', () => {
    const worker = synth(PROD).find((m) => m.kind === 'Deployment' && m.metadata.name === 'orders-worker');
    const container = worker.spec.template.spec.containers[0];
    expect(JSON.stringify(container.env ?? [])).not.toContain('PAYMENT_API_KEY');
    expect(container.volumeMounts).toEqual(expect.arrayContaining([expect.objectContaining({ mountPath: '/var/run/secrets/orders', readOnly: true })]));
  });

  test('the search index is a volume per replica that outlives the pods, behind a headless and a client Service', () => {
    const prod = synth(PROD);
    const statefulSet = prod.find((m) => m.kind === 'StatefulSet' && m.metadata.name === 'orders-search');
    expect(statefulSet.spec.serviceName).toBe('orders-search-headless');
    expect(statefulSet.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(statefulSet.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('50Gi');
    expect(prod.find((m) => m.kind === 'Service' && m.metadata.name === 'orders-search-headless').spec.clusterIP).toBe('None');
    const api = prod.find((m) => m.kind === 'Deployment' && m.metadata.name === 'orders-api');
    expect(api.spec.template.spec.containers[0].env).toContainEqual({ name: 'ORDERS_SEARCH_URL', value: 'http://orders-search.orders.svc:80' });
  });

  test('the worker reaches the payment API by name, on HTTPS, with a CiliumNetworkPolicy beside its NetworkPolicy', () => {
    const policy = synth(PROD).find((m) => m.kind === 'CiliumNetworkPolicy' && m.metadata.name === 'orders-worker');
    expect(policy.spec.egress).toContainEqual({ toFQDNs: [{ matchName: 'api.stripe.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
  });
});
