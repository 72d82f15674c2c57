import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { HardenedIngress, Image, NamespaceBaseline, Probe, ProductionApp, setTier } from '../lib';
import { StageConfig } from './stages';

const PART_OF = 'aishell';
const IMAGE_REPOSITORY = 'aishell/aishell';

/** The whole platform for one stage: the namespace baseline, the services and their public entry, wired together. */
export class Platform extends Chart {
  public readonly baseline: NamespaceBaseline;
  public readonly api: ProductionApp;
  public readonly worker: ProductionApp;
  public readonly ingress: HardenedIngress;

  public constructor(scope: Construct, id: string, stage: StageConfig) {
    super(scope, id, { namespace: stage.namespace, disableResourceNameHashes: true });
    setTier(this, stage.tier);
    const image = Image.pinned(IMAGE_REPOSITORY, stage.imageTag);

    this.baseline = new NamespaceBaseline(this, 'Namespace', { name: stage.namespace, quota: stage.quota });

    this.api = new ProductionApp(this, 'Api', {
      name: 'aishell',
      component: 'api',
      partOf: PART_OF,
      image,
      port: 8000,
      replicas: stage.api.replicas,
      autoscaling: stage.api.autoscaling,
      resources: stage.api.resources,
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/health'),
      metrics: { path: '/metrics' },
      config: stage.appConfig,
    });

    this.worker = new ProductionApp(this, 'Worker', {
      name: 'aishell-worker',
      component: 'worker',
      partOf: PART_OF,
      image,
      args: ['worker'],
      port: 8000,
      replicas: stage.worker.replicas,
      autoscaling: stage.worker.autoscaling,
      resources: stage.worker.resources,
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/health'),
      metrics: { path: '/metrics' },
      config: stage.appConfig,
    });
    this.worker.connectTo(this.api);

    const { host, ...ingress } = stage.ingress;
    this.ingress = new HardenedIngress(this, 'Ingress', { name: 'aishell', ...ingress });
    this.ingress.route(host, '/', this.api);

    for (const construct of [this.api, this.worker, this.ingress]) {
      construct.node.addDependency(this.baseline);
    }
  }
}
