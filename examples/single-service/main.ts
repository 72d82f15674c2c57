import { App } from 'cdk8s';
import { synthWithGuardrails } from 'cdk8s-golden-path';
import { ShopChart } from './src/shop-chart';

const app = new App();
new ShopChart(app, 'shop', { namespace: 'shop', host: 'shop.example.com', version: '1.4.2' });
// Instead of app.synth(): fails before writing on an unsafe object, writes dist/guardrails.sarif, prints a summary.
synthWithGuardrails(app);
