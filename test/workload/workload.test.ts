import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  EnvValue, ExternalPostgres, HaPostgres, IConnectable, IWorkload, NetworkPeer, NetworkPort, PostgresBackup, PostgresSslMode, SecretMount, SecretSource, SecretStoreRef,
  SecretsBinding, WorkloadPort, WorkloadVolume,
} from '../../lib';
import { testChart } from '../util';

/** A workload written by hand (a worker, a Job): it implements the contract and records what it is given. */
class RecordingWorkload extends Construct implements IWorkload {
  public readonly name = 'worker';
  public readonly namespace = 'test';
  public readonly selectorLabels = { app: 'worker' };
  public readonly peer = NetworkPeer.pods({ app: 'worker' }, 'test');
  public readonly ports: readonly WorkloadPort[] = [];
  public readonly egress: Array<{ peer: NetworkPeer; ports: readonly NetworkPort[] }> = [];
  public readonly env = new Map<string, EnvValue>();
  public readonly volumes: WorkloadVolume[] = [];
  public readonly podAnnotations = new Map<string, string>();

  public allowFrom(): void {
    throw new Error('nothing connects to this worker');
  }

  public allowTo(peer: NetworkPeer, ports: readonly NetworkPort[]): void {
    this.egress.push({ peer, ports });
  }

  public addEnv(name: string, value: EnvValue): void {
    this.env.set(name, value);
  }

  public addVolume(volume: WorkloadVolume): void {
    this.volumes.push(volume);
  }

  public addPodAnnotation(key: string, value: string): void {
    this.podAnnotations.set(key, value);
  }

  public connectTo(target: IConnectable): void {
    target.grantConnection(this);
  }
}

describe('the workload contract', () => {
  test('a database connection reaches any workload, not only a ProductionApp', () => {
    // GIVEN
    const chart = testChart();
    const worker = new RecordingWorkload(chart, 'Worker');
    const db = new HaPostgres(chart, 'Db', {
      kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/16') },
      storage: { size: Size.gibibytes(10) },
      backup: PostgresBackup.none({ reason: 'test' }),
    });
    // WHEN
    worker.connectTo(db);
    // THEN
    expect(worker.egress.map((e) => [e.peer.key, e.ports])).toEqual([[db.peer.key, [{ port: 5432 }]]]);
    expect([...worker.env.keys()]).toEqual(['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD_FILE', 'PGSSLMODE', 'PGSSLROOTCERT']);
    expect(worker.volumes.map((v) => v.mountPath)).toEqual(['/var/run/secrets/postgres/db', '/etc/postgresql/db-ca']);
  });

  test('an external database and a secret binding bind to the contract too', () => {
    // GIVEN
    const chart = testChart();
    const worker = new RecordingWorkload(chart, 'Worker');
    const credentials = new SecretsBinding(chart, 'OrdersDb', {
      source: SecretSource.externalSecret({ store: SecretStoreRef.cluster('vault'), data: { username: { key: 'orders/user' }, password: { key: 'orders/password' } } }),
    });
    const db = new ExternalPostgres(chart, 'Orders', {
      host: 'orders.example.com', databaseName: 'orders', credentials: { secret: credentials }, endpoint: NetworkPeer.ipBlock('10.0.32.0/20'),
      sslMode: PostgresSslMode.REQUIRE,
    });
    const secrets = new SecretsBinding(chart, 'Keys', {
      source: SecretSource.externalSecret({ store: SecretStoreRef.cluster('vault'), data: { API_KEY: { key: 'worker/api-key' } } }),
    });
    // WHEN
    db.grantConnection(worker);
    secrets.bindTo(worker, SecretMount.files('/var/run/secrets/keys'));
    // THEN
    expect(worker.egress.map((e) => e.ports)).toEqual([[{ port: 5432 }]]);
    expect(worker.volumes.map((v) => v.name)).toEqual(['orders-credentials', 'keys']);
    expect([...worker.podAnnotations.keys()]).toEqual(['secrets.cdk8s-golden-path/keys']);
    expect(worker.node.dependencies).toEqual(expect.arrayContaining([credentials, secrets]));
  });
});
