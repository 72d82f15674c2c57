import { STAGES } from './stages';
import { synthStages } from './synth';

// `cdk8s synth` passes its output folder in CDK8S_OUTDIR; `npm run synth` runs this file directly.
synthStages(STAGES, process.env.CDK8S_OUTDIR ?? 'dist');
