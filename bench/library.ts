import { App, Chart, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  CertificateIssuer, HaPostgres, HardenedIngress, Image, IngressController, NamespaceBaseline, NetworkPeer, ObjectStoreCredentials, PostgresBackup,
  ProductionApp, Tier, setTier,
} from '../lib';

/** The benchmark namespace. */
export const BENCH_NAMESPACE = 'bench';

/**
 * A generated platform of `count` services built with this library: each a ProductionApp with
 * autoscaling, a disruption budget, a NetworkPolicy, metrics (ServiceMonitor, alerts, dashboard) and
 * an HTTPS route with its certificate on one shared Ingress, and a connection to one HaPostgres.
 */
export function libraryPlatform(app: App, count: number): Chart {
  const chart = new Chart(app, 'platform', { namespace: BENCH_NAMESPACE, disableResourceNameHashes: true });
  setTier(chart, Tier.PRODUCTION);
  new NamespaceBaseline(chart, 'Namespace', {
    name: BENCH_NAMESPACE,
    // Room for every service at its autoscaler's maximum plus surge (11 pods of 0.25/1 CPU, 256Mi/512Mi), as quota-headroom asks.
    quota: {
      requestsCpu: Cpu.units(4 * count + 100),
      requestsMemory: Size.gibibytes(4 * count + 100),
      limitsCpu: Cpu.units(16 * count + 100),
      limitsMemory: Size.gibibytes(8 * count + 100),
      pods: 16 * count + 100,
    },
  });
  const ingress = new HardenedIngress(chart, 'Ingress', {
    name: 'bench',
    controller: IngressController.haproxy(),
    issuer: CertificateIssuer.clusterIssuer('letsencrypt-prod'),
    rateLimit: { requestsPerSecond: 100 },
  });
  const database = new HaPostgres(chart, 'Database', {
    name: 'bench-db',
    storage: { size: Size.gibibytes(50), walSize: Size.gibibytes(10) },
    kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/20'), port: 443 },
    backup: PostgresBackup.toObjectStore({
      destinationPath: 's3://bench-backups/postgres',
      credentials: ObjectStoreCredentials.awsIamRole('arn:aws:iam::123456789012:role/bench-backups'),
      retention: Duration.days(30),
      // An address block, as the hand-written platform has no rule to the bucket either: no egress engine, nothing open to the internet.
      endpoint: NetworkPeer.ipBlock('52.218.0.0/17'),
    }),
  });
  for (let i = 0; i < count; i++) {
    const service = new ProductionApp(chart, `svc${i}`, {
      name: `svc-${i}`,
      image: Image.pinned('ghcr.io/acme/bench', '1.0.0'),
      config: { LOG_LEVEL: 'info', SERVICE_INDEX: String(i) },
      metrics: { path: '/metrics' },
    });
    ingress.route(`svc-${i}.bench.example.com`, '/', service);
    service.connectTo(database);
  }
  return chart;
}
