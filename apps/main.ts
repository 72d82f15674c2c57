import { selectStages, STAGES } from './stages';
import { synthStages } from './synth';

// `npm run synth` and `cdk8s synth` both run this file (through scripts/synth.mjs). The manifests
// always go to dist/; cdk8s synth passes its own output folder in CDK8S_OUTDIR and gets a copy there.
// STAGE=<name> synthesizes one stage only (a Helm chart holds one).
synthStages(selectStages(STAGES, process.env.STAGE), 'dist', process.env.CDK8S_OUTDIR);
