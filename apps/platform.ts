import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  HaPostgres, Image, NamespaceBaseline, NetworkPeer, ObjectStoreCredentials, PostgresBackup, Probe, ProductionApp, setTier,
} from '../lib';
import { StageConfig } from './stages';

const PART_OF = 'aishell';
const IMAGE_REPOSITORY = 'aishell/aishell';

/** The whole platform for one stage: the namespace baseline and the services, wired together. */
export class Platform extends Chart {
  public readonly baseline: NamespaceBaseline;
  public readonly api: ProductionApp;
  public readonly worker: ProductionApp;
  public readonly database: HaPostgres;

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

    const backup = stage.database.backup;
    this.database = new HaPostgres(this, 'Database', {
      name: 'aishell-db',
      partOf: PART_OF,
      databaseName: 'aishell',
      instances: stage.database.instances,
      storage: stage.database.storage,
      resources: stage.database.resources,
      kubernetesApi: { peer: NetworkPeer.ipBlock(stage.kubernetesApi.cidr), port: stage.kubernetesApi.port },
      backup: backup && PostgresBackup.toObjectStore({
        destinationPath: backup.destinationPath,
        credentials: ObjectStoreCredentials.s3({ secretName: backup.credentialsSecretName }),
        retention: backup.retention,
      }),
      pooler: stage.database.poolerInstances !== undefined ? { instances: stage.database.poolerInstances } : undefined,
    });
    this.api.connectTo(this.database);
    this.worker.connectTo(this.database);

    for (const construct of [this.api, this.worker, this.database]) {
      construct.node.addDependency(this.baseline);
    }
  }
}
