import { Testing } from 'cdk8s';
import { Guardrails } from 'cdk8s-golden-path';
import { ShopChart } from '../src/shop-chart';

const props = { namespace: 'shop', host: 'shop.example.com', version: '1.4.2' };

describe('ShopChart', () => {
  test('matches the snapshot', () => {
    const chart = new ShopChart(Testing.app(), 'shop', props);
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  test('passes the production guardrails', () => {
    const app = Testing.app();
    new ShopChart(app, 'shop', props);
    expect(Guardrails.apply(app).evaluate().errors).toEqual([]);
  });

  test('runs the version it is given, over HTTPS only', () => {
    const manifests = Testing.synth(new ShopChart(Testing.app(), 'shop', { ...props, version: '1.5.0' }));
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/shop-api:1.5.0');
    const ingress = manifests.find((m) => m.kind === 'Ingress');
    expect(ingress.spec.tls).toEqual([expect.objectContaining({ hosts: ['shop.example.com'] })]);
  });
});
