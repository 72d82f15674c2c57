import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import {
  ClusterDns, EgressEngine, ExternalPostgres, ExternalPostgresProps, Image, NetworkPeer, PostgresRootCertificate, PostgresSslMode, Prerequisite, ProductionApp, SecretSource,
  SecretStoreRef, SecretsBinding,
} from '../../lib';
import { Manifest, one, synth, testChart } from '../util';

function app(chart: Chart, id = 'Api', name = 'api'): ProductionApp {
  return new ProductionApp(chart, id, { name, image: Image.pinned('acme/api', '1.0.0') });
}

function policy(manifests: Manifest[], name: string): Manifest {
  return one(manifests, 'NetworkPolicy', name);
}

/** The database credentials, written by an ExternalSecret of the manifests. */
function credentialsIn(chart: Chart, keys: string[] = ['username', 'password'], namespace?: string): SecretsBinding {
  return new SecretsBinding(chart, 'OrdersDb', {
    namespace,
    source: SecretSource.externalSecret({
      store: SecretStoreRef.cluster('aws-secrets-manager'),
      data: Object.fromEntries(keys.map((key) => [key, { key: `orders/db/${key}` }])),
    }),
  });
}

/** A provider's public CA bundle, written into the manifests: it is no secret. */
function caBundleIn(chart: Chart, namespace?: string): k8s.KubeConfigMap {
  return new k8s.KubeConfigMap(chart, 'RdsCa', { metadata: { name: 'rds-ca-bundle', namespace }, data: { 'global-bundle.pem': '-----BEGIN CERTIFICATE-----' } });
}

const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' }));
const DNS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};

describe('ExternalPostgres', () => {
  function external(overrides: (chart: Chart) => Partial<ExternalPostgresProps> = () => ({})): { chart: Chart; db: ExternalPostgres } {
    const chart = testChart();
    const given = overrides(chart);
    const db = new ExternalPostgres(chart, 'Orders', {
      host: 'orders.abc123.eu-west-1.rds.amazonaws.com',
      databaseName: 'orders',
      credentials: given.credentials ?? { secret: credentialsIn(chart) },
      endpoint: NetworkPeer.ipBlock('10.0.32.0/20'),
      rootCertificate: 'rootCertificate' in given ? given.rootCertificate : PostgresRootCertificate.fromConfigMap(caBundleIn(chart), 'global-bundle.pem'),
      ...given,
    });
    return { chart, db };
  }

  test('gives the app libpq settings, the credentials of the Secret as files and the CA bundle, verifying the host', () => {
    const { chart, db } = external();
    const api = app(chart);
    api.connectTo(db);

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
    // The Secret the pods mount is produced in the same manifests, and applied before them.
    expect(api.node.dependencies.map((d) => d.node.id)).toContain('OrdersDb');
  });

  test('opens only the egress path from the app to the database, and creates nothing but what produces its credentials', () => {
    const { chart, db } = external((c) => ({ port: 6432, sslMode: PostgresSslMode.REQUIRE, rootCertificate: undefined, credentials: { secret: credentialsIn(c) } }));
    app(chart).connectTo(db);

    const manifests = synth(chart);
    expect(policy(manifests, 'api').spec.egress).toEqual([DNS, { to: [{ ipBlock: { cidr: '10.0.32.0/20' } }], ports: tcp(6432) }]);
    expect(manifests.filter((m) => !['Deployment', 'Service', 'ServiceAccount', 'NetworkPolicy', 'HorizontalPodAutoscaler', 'PodDisruptionBudget',
      'ExternalSecret'].includes(m.kind))).toEqual([]);
  });

  test('accepts sslmode require without a CA, and uses the configured Secret keys', () => {
    const { chart, db } = external((c) => ({ sslMode: PostgresSslMode.REQUIRE, rootCertificate: undefined,
      credentials: { secret: credentialsIn(c, ['user', 'pass']), usernameKey: 'user', passwordKey: 'pass' } }));
    app(chart).connectTo(db);

    const pod = one(synth(chart), 'Deployment', 'api').spec.template.spec;
    const env = pod.containers[0].env;
    expect(env).toContainEqual({ name: 'PGSSLMODE', value: 'require' });
    expect(env.map((e: any) => e.name)).not.toContain('PGSSLROOTCERT');
    expect(pod.volumes.find((v: any) => v.name === 'orders-credentials').secret.items)
      .toEqual([{ key: 'user', path: 'username' }, { key: 'pass', path: 'password' }]);
  });

  test('reads the CA from a Secret a SecretsBinding produces, mounting that key only', () => {
    const { chart, db } = external((c) => ({
      rootCertificate: PostgresRootCertificate.fromSecret(new SecretsBinding(c, 'DbCa', {
        source: SecretSource.externalSecret({ store: SecretStoreRef.cluster('vault'), data: { 'ca.pem': { key: 'orders/db/ca' } } }),
      }), 'ca.pem'),
    }));
    app(chart).connectTo(db);
    expect(one(synth(chart), 'Deployment', 'api').spec.template.spec.volumes).toContainEqual({
      name: 'orders-ca', secret: { secretName: 'db-ca', items: [{ key: 'ca.pem', path: 'ca.crt' }], defaultMode: 0o444 },
    });
  });

  test('reaches a database endpoint by name through the app\'s egress engine, on the database port only', () => {
    // GIVEN: the managed database's host name, rendered as Cilium toFQDNs (see test/network/egress-engine.test.ts)
    const { chart, db } = external(() => ({ endpoint: NetworkPeer.domain('orders.abc123.eu-west-1.rds.amazonaws.com') }));
    const api = new ProductionApp(chart, 'Api', { name: 'api', image: Image.pinned('acme/api', '1.0.0'), dns: ClusterDns.kubeDns(), egressEngine: EgressEngine.cilium() });

    // WHEN
    api.connectTo(db);

    // THEN
    const manifests = synth(chart);
    expect(one(manifests, 'CiliumNetworkPolicy', 'api').spec.egress[1]).toEqual({
      toFQDNs: [{ matchName: 'orders.abc123.eu-west-1.rds.amazonaws.com' }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }],
    });
    expect(policy(manifests, 'api').spec.egress).toEqual([DNS]);
  });

  test('a CA bundle written into the namespace by something else (trust-manager) is declared as a prerequisite', () => {
    const { chart, db } = external(() => ({ rootCertificate: PostgresRootCertificate.existingConfigMap('rds-ca', 'bundle.pem') }));
    app(chart).connectTo(db);
    expect(Prerequisite.declaredIn(chart).map((d) => [d.prerequisite.title, d.requiredBy])).toContainEqual(['ConfigMap test/rds-ca', ['test/Orders']]);
  });

  test.each<[string, (chart: Chart) => Partial<ExternalPostgresProps>, RegExp]>([
    ['TLS is off', () => ({ sslMode: PostgresSslMode.DISABLE }), /'sslMode' \('disable'\) must be one of require, verify-ca, verify-full/],
    ['TLS is only preferred', () => ({ sslMode: PostgresSslMode.PREFER }), /'sslMode' \('prefer'\) must be one of require, verify-ca, verify-full/],
    ['the server is verified without a CA', () => ({ rootCertificate: undefined }), /'rootCertificate' \(unset\) is required with sslMode 'verify-full'/],
    ['the host is not a host name', () => ({ host: 'https://db.example.com' }), /'host' \('https:\/\/db.example.com'\) must be a DNS name or an IPv4 address/],
    ['the port is invalid', () => ({ port: 0 }), /'port' \(0\) must be an integer port between 1 and 65535/],
    ['the database name has a space', () => ({ databaseName: 'my db' }), /'databaseName' \('my db'\) must be a database name of 1 to 63 characters/],
    ['a credentials key is invalid', (c) => ({ credentials: { secret: credentialsIn(c), passwordKey: 'pass word' } }),
      /'credentials.passwordKey' \('pass word'\) must be a Secret key/],
    ['the credentials Secret does not hold the password key', (c) => ({ credentials: { secret: credentialsIn(c, ['username', 'pass']) } }),
      /\[test\/Orders\] 'credentials.passwordKey' \('password'\) is not a key of Secret 'orders-db' \(username, pass\)/],
    ['the CA key is invalid', () => ({ rootCertificate: PostgresRootCertificate.existingConfigMap('ca', 'ca crt') }), /'rootCertificate.key' \('ca crt'\) must be a key/],
    ['the name is not a DNS label', () => ({ name: 'Orders' }), /'name' \('Orders'\) must be a DNS label/],
    ['the endpoint by name carries a port', () => ({ endpoint: NetworkPeer.domain('orders.abc123.eu-west-1.rds.amazonaws.com:5432') }),
      /\[test\/Orders\] 'endpoint' \('orders.abc123.eu-west-1.rds.amazonaws.com:5432'\) must be a host name without a port/],
  ])('fails when %s', (_, overrides, message) => {
    expect(() => external(overrides)).toThrow(message);
  });

  test.each<[string, (chart: Chart) => Partial<ExternalPostgresProps>, RegExp]>([
    ['the credentials Secret is in another namespace than the app', (c) => ({ credentials: { secret: credentialsIn(c, undefined, 'secrets') } }),
      /\[test\/Orders\] 'credentials.secret' \('test\/OrdersDb'\) must produce its Secret in namespace 'test', not 'secrets': the app test\/Api reads Secrets of its own namespace only/],
    ['the CA ConfigMap is in another namespace than the app', (c) => ({ rootCertificate: PostgresRootCertificate.fromConfigMap(caBundleIn(c, 'certs'), 'global-bundle.pem') }),
      /'rootCertificate' \('rds-ca-bundle'\) must be a ConfigMap in namespace 'test', where the pods that connect mount it, not 'certs'/],
    ['the CA ConfigMap does not hold the key', (c) => ({ rootCertificate: PostgresRootCertificate.fromConfigMap(caBundleIn(c), 'ca.pem') }),
      /'rootCertificate.key' \('ca.pem'\) is not a key of ConfigMap 'rds-ca-bundle' \(global-bundle.pem\)/],
    ['the CA object is not a ConfigMap', (c) => ({ rootCertificate: PostgresRootCertificate.fromConfigMap(new k8s.KubeSecret(c, 'Ca', { metadata: { name: 'ca' } }), 'ca.crt') }),
      /'rootCertificate' \('Secret ca'\) must be a ConfigMap/],
    ['the CA Secret does not hold the key', (c) => ({ rootCertificate: PostgresRootCertificate.fromSecret(new SecretsBinding(c, 'Ca', {
      source: SecretSource.externalSecret({ store: SecretStoreRef.cluster('vault'), data: { 'ca.pem': { key: 'orders/db/ca' } } }),
    }), 'ca.crt') }), /'rootCertificate.key' \('ca.crt'\) is not a key of Secret 'ca' \(ca.pem\)/],
  ])('fails to connect when %s', (_, overrides, message) => {
    const { chart, db } = external(overrides);
    expect(() => app(chart).connectTo(db)).toThrow(message);
  });
});
