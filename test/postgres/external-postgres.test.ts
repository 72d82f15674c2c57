import { Chart } from 'cdk8s';
import { ExternalPostgres, Image, NetworkPeer, PostgresRootCertificate, PostgresSslMode, ProductionApp } from '../../lib';
import { Manifest, one, synth, testChart } from '../util';

function app(chart: Chart, id = 'Api', name = 'api'): ProductionApp {
  return new ProductionApp(chart, id, { name, image: Image.pinned('acme/api', '1.0.0') });
}

function policy(manifests: Manifest[], name: string): Manifest {
  return one(manifests, 'NetworkPolicy', name);
}

const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' }));
const DNS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};

describe('ExternalPostgres', () => {
  const RDS_CA = PostgresRootCertificate.fromConfigMap('rds-ca-bundle', 'global-bundle.pem');

  function external(overrides: object = {}): { chart: Chart; db: ExternalPostgres } {
    const chart = testChart();
    const db = new ExternalPostgres(chart, 'Orders', {
      host: 'orders.abc123.eu-west-1.rds.amazonaws.com',
      databaseName: 'orders',
      credentials: { secretName: 'orders-db' },
      endpoint: NetworkPeer.ipBlock('10.0.32.0/20'),
      rootCertificate: RDS_CA,
      ...overrides,
    });
    return { chart, db };
  }

  test('gives the app libpq settings, the credentials of the Secret as files and the CA bundle, verifying the host', () => {
    const { chart, db } = external();
    app(chart).connectTo(db);

    const pod = one(synth(chart), 'Deployment', 'api').spec.template.spec;
    expect(pod.containers[0].env).toEqual([
      { name: 'PGHOST', value: 'orders.abc123.eu-west-1.rds.amazonaws.com' },
      { name: 'PGPORT', value: '5432' },
      { name: 'PGDATABASE', value: 'orders' },
      { name: 'PGUSER_FILE', value: '/var/run/secrets/postgres/orders/username' },
      { name: 'PGPASSWORD_FILE', value: '/var/run/secrets/postgres/orders/password' },
      { name: 'PGSSLMODE', value: 'verify-full' },
      { name: 'PGSSLROOTCERT', value: '/etc/postgresql/orders-ca/ca.crt' },
    ]);
    expect(pod.volumes).toContainEqual({
      name: 'orders-credentials',
      secret: { secretName: 'orders-db', defaultMode: 0o400, items: [{ key: 'username', path: 'username' }, { key: 'password', path: 'password' }] },
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'orders-credentials', mountPath: '/var/run/secrets/postgres/orders', readOnly: true });
    expect(pod.volumes).toContainEqual({
      name: 'orders-ca', configMap: { name: 'rds-ca-bundle', items: [{ key: 'global-bundle.pem', path: 'ca.crt' }], defaultMode: 0o444 },
    });
  });

  test('opens only the egress path from the app to the database, and creates nothing else', () => {
    const { chart, db } = external({ port: 6432 });
    app(chart).connectTo(db);

    const manifests = synth(chart);
    expect(policy(manifests, 'api').spec.egress).toEqual([DNS, { to: [{ ipBlock: { cidr: '10.0.32.0/20' } }], ports: tcp(6432) }]);
    expect(manifests.filter((m) => !['Deployment', 'Service', 'ServiceAccount', 'NetworkPolicy', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']
      .includes(m.kind))).toEqual([]);
  });

  test('accepts sslmode require without a CA, and uses the configured Secret keys', () => {
    const { chart, db } = external({ sslMode: PostgresSslMode.REQUIRE, rootCertificate: undefined,
      credentials: { secretName: 'orders-db', usernameKey: 'user', passwordKey: 'pass' } });
    app(chart).connectTo(db);

    const pod = one(synth(chart), 'Deployment', 'api').spec.template.spec;
    const env = pod.containers[0].env;
    expect(env).toContainEqual({ name: 'PGSSLMODE', value: 'require' });
    expect(env.map((e: any) => e.name)).not.toContain('PGSSLROOTCERT');
    expect(pod.volumes.find((v: any) => v.name === 'orders-credentials').secret.items)
      .toEqual([{ key: 'user', path: 'username' }, { key: 'pass', path: 'password' }]);
  });

  test.each([
    ['TLS is off', { sslMode: PostgresSslMode.DISABLE }, /'sslMode' \('disable'\) must be one of require, verify-ca, verify-full/],
    ['TLS is only preferred', { sslMode: PostgresSslMode.PREFER }, /'sslMode' \('prefer'\) must be one of require, verify-ca, verify-full/],
    ['the server is verified without a CA', { rootCertificate: undefined }, /'rootCertificate' \(unset\) is required with sslMode 'verify-full'/],
    ['the host is not a host name', { host: 'https://db.example.com' }, /'host' \('https:\/\/db.example.com'\) must be a DNS name or an IPv4 address/],
    ['the port is invalid', { port: 0 }, /'port' \(0\) must be an integer port between 1 and 65535/],
    ['the database name has a space', { databaseName: 'my db' }, /'databaseName' \('my db'\) must be a database name of 1 to 63 characters/],
    ['the credentials Secret name is invalid', { credentials: { secretName: 'Orders' } }, /'credentials.secretName' \('Orders'\) must be a DNS-1123 subdomain/],
    ['a credentials key is invalid', { credentials: { secretName: 'orders-db', passwordKey: 'pass word' } },
      /'credentials.passwordKey' \('pass word'\) must be a Secret key/],
    ['the CA key is invalid', { rootCertificate: PostgresRootCertificate.fromSecret('ca', 'ca crt') }, /'rootCertificate.key' \('ca crt'\) must be a key/],
    ['the name is not a DNS label', { name: 'Orders' }, /'name' \('Orders'\) must be a DNS label/],
  ])('fails when %s', (_, overrides, message) => {
    expect(() => external(overrides)).toThrow(message);
  });
});
