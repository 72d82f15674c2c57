import * as path from 'path';
import { App } from 'cdk8s';
import { synthWithGuardrails } from 'cdk8s-golden-path';
import { OrdersPlatform } from './src/orders-platform';
import { STAGES } from './src/stages';

// One app per stage, each into its own folder, dist/dev/ and dist/prod/: what Argo CD or Flux deploy.
const outdir = process.env.CDK8S_OUTDIR ?? 'dist';
for (const stage of STAGES) {
  const app = new App({ outdir: path.join(outdir, stage.name) });
  new OrdersPlatform(app, 'orders', stage);
  synthWithGuardrails(app, { log: (summary) => console.error(`${stage.name} ${summary}`) });
}
