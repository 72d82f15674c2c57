import { Duration, Size } from 'cdk8s';
import {
  BackupSchedule, ExternalPostgres, HaPostgres, Image, NetworkPeer, ObjectStoreCredentials, PostgresBackup, PostgresRecovery, PostgresReplication,
  PostgresRootCertificate, ProductionApp, SecretSource, SecretStoreRef, SecretsBinding,
} from '../../lib';
import { testChart } from '../util';

const API = { peer: NetworkPeer.ipBlock('10.0.0.0/16') };
const IRSA = ObjectStoreCredentials.awsIamRole('arn:aws:iam::123456789012:role/backups');
const NO_BACKUP = PostgresBackup.none({ reason: 'development tier' });

function database(props: any): HaPostgres {
  return new HaPostgres(testChart(), 'Db', { kubernetesApi: API, storage: { size: Size.gibibytes(10) }, backup: NO_BACKUP, ...props });
}

function archive(options: any): PostgresBackup {
  return PostgresBackup.toObjectStore({ destinationPath: 's3://backups/db', credentials: IRSA, ...options });
}

describe('HaPostgres with bad input', () => {
  test.each([
    // schedules (robfig/cron v1.2.0 cron.Parse, which CloudNativePG 1.30 validates and runs a ScheduledBackup with: seconds first)
    ['the backup cron is out of range in every field', { backup: archive({ schedule: BackupSchedule.cron('99 99 99 * * *') }) },
      /\[test\/Db\] 'backup.schedule' \('99 99 99 \* \* \*'\) must be a cron expression with six fields, seconds first .*: second '99' is outside 0-59/],
    ['the backup cron has an hour of 24', { backup: archive({ schedule: BackupSchedule.cron('0 0 24 * * *') }) }, /'backup.schedule' .*: hour '24' is outside 0-23/],
    ['the backup cron has a day of week of 7', { backup: archive({ schedule: BackupSchedule.cron('0 0 2 * * 7') }) }, /'backup.schedule' .*: day of week '7' is outside 0-6/],
    ['the backup cron is crontab\'s five fields', { backup: archive({ schedule: BackupSchedule.cron('30 3 * * *') }) },
      /'backup.schedule' \('30 3 \* \* \*'\) must be a cron expression with six fields, seconds first/],
    ['the backup cron is a number', { backup: archive({ schedule: BackupSchedule.cron(5 as any) }) }, /'backup.schedule' \(5\) must be a cron expression with six fields/],
    ['the backup schedule is a string', { backup: archive({ schedule: '0 0 2 * * *' }) }, /'backup.schedule' \('0 0 2 \* \* \*'\) must be a BackupSchedule/],
    // times
    ['the retention is a fraction of a day', { backup: archive({ retention: Duration.hours(36) }) }, /'backup.retention' \('129600s'\) must be a whole number of days/],
    ['the retention is a number', { backup: archive({ retention: 30 }) }, /'backup.retention' \(30\) must be a Duration/],
    ['the backup age alert is a fraction of a second', { backup: archive({ maxAge: Duration.millis(3600500) }) },
      /'backup.maxAge' \('3600.5s'\) must be a whole number of seconds, at least 0/],
    ['the scrape interval is a fraction of a second', { monitoring: { interval: Duration.millis(1500) } }, /'monitoring.interval' \('1.5s'\) must be a whole number of seconds, at least 1/],
    ['the replication lag is a fraction of a second', { monitoring: { maxReplicationLag: Duration.millis(500) } },
      /'monitoring.maxReplicationLag' \('0.5s'\) must be a whole number of seconds, at least 1/],
    // network
    ['the API server block has a prefix length of 99', { kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/99') } },
      /'kubernetesApi.peer' \('10.0.0.0\/99'\) must be an IPv4 or IPv6 CIDR block .*at most 32/],
    ['the API server block sets host bits', { kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.1/16') } },
      /'kubernetesApi.peer' \('10.0.0.1\/16'\) .*without address bits past the prefix length/],
    ['the API server is an address string', { kubernetesApi: { peer: '10.0.0.1' } }, /'kubernetesApi.peer' \('10.0.0.1'\) must be a NetworkPeer/],
    ['the API server port is over 65535', { kubernetesApi: { ...API, port: 65536 } }, /'kubernetesApi.port' \(65536\) must be an integer port/],
    ['the operator peer is a namespace no name can be', { operator: NetworkPeer.namespace('CNPG') }, /'operator.namespace' \('CNPG'\) must be a DNS-1123 label/],
    ['the object store endpoint has an exception outside it', { backup: archive({ endpoint: NetworkPeer.ipBlock('10.0.0.0/24', ['10.0.1.0/28']) }) },
      /'backup.endpoint.except' \('10.0.1.0\/28'\) must be a block inside '10.0.0.0\/24'/],
    // settings the operator refuses
    ['a setting is one the operator keeps', { parameters: { listen_addresses: '*' } }, /'parameters.listen_addresses' \('listen_addresses'\) is set by CloudNativePG \(or blocked by it\)/],
    ['a setting value is a number', { parameters: { max_connections: 200 } }, /'parameters.max_connections' \(200\) must be a string/],
    ['a PgBouncer setting is one the operator refuses', { pooler: { parameters: { listen_port: '6432' } } },
      /'pooler.parameters.listen_port' \('listen_port'\) is not a PgBouncer setting the operator lets you set/],
    ['the pool mode is no mode', { pooler: { poolMode: 'statement' } }, /'pooler.poolMode' \('statement'\) must be a PgBouncerPoolMode: 'session', 'transaction', or left unset/],
    ['the instances are over int32', { instances: 2 ** 31 }, /'instances' \(2147483648\) must be at most 2147483647/],
    // kinds
    ['the storage size is a string', { storage: { size: '10Gi' } }, /'storage.size' \('10Gi'\) must be a Size/],
    ['the replication is a plain object', { replication: { standbys: 1 } }, /'replication' \(\{"standbys":1\}\) must be a PostgresReplication/],
    ['the durability is no durability', { instances: 3, replication: PostgresReplication.synchronous({ durability: 'strict' as any }) },
      /'replication.durability' \('strict'\) must be a DataDurability: 'required', 'preferred'/],
    ['the backup is a plain object', { backup: { destinationPath: 's3://b' } }, /'backup' \(.*\) must be a PostgresBackup/],
    ['the backup reason is missing', { backup: PostgresBackup.none(undefined as any) }, /'backup.reason' \(''\) must explain why the database runs without backups/],
    ['the recovery target time is a string', { recovery: PostgresRecovery.fromObjectStore({ destinationPath: 's3://old/db', credentials: IRSA, serverName: 'old', targetTime: '2026-01-01' as any }) },
      /'recovery.targetTime' \('2026-01-01'\) must be a Date/],
    ['the credentials are a Secret name', { backup: archive({ credentials: 'backup-credentials' }) }, /'backup.credentials' \('backup-credentials'\) must be an ObjectStoreCredentials/],
    ['the S3 credentials name no SecretsBinding', { backup: archive({ credentials: ObjectStoreCredentials.s3({ secret: 'backup-credentials' as any }) }) },
      /'backup.credentials.secret' \('backup-credentials'\) must be a SecretsBinding \(an ISecretProducer/],
    ['the role ARN is a number', { backup: archive({ credentials: ObjectStoreCredentials.awsIamRole(5 as any) }) }, /'backup.credentials.roleArn' \(5\) must be an IAM role ARN/],
    ['the monitoring is a boolean', { monitoring: false }, /'monitoring' \(false\) must be a PostgresMonitoringOptions object, or left unset/],
  ])('fails when %s', (_, props, message) => {
    expect(() => database(props)).toThrow(message);
  });

  test('fails when no props are given', () => {
    expect(() => new HaPostgres(testChart(), 'Db', undefined as any)).toThrow(/'props' \(unset\) must be an object of HaPostgresProps/);
  });

  test('fails when a workload that is none asks for a connection', () => {
    expect(() => database({}).grantConnection({} as any)).toThrow(/'grantConnection' \(\{\}\) must be a workload/);
  });
});

describe('ExternalPostgres with bad input', () => {
  function external(props: any): ExternalPostgres {
    const chart = testChart();
    const secret = new SecretsBinding(chart, 'Credentials', {
      source: SecretSource.externalSecret({ store: SecretStoreRef.cluster('aws'), data: { username: { key: 'u' }, password: { key: 'p' } } }),
    });
    return new ExternalPostgres(chart, 'Orders', {
      host: 'orders.example.com', databaseName: 'orders', credentials: { secret }, endpoint: NetworkPeer.ipBlock('10.0.32.0/20'),
      rootCertificate: PostgresRootCertificate.existingConfigMap('rds-ca', 'bundle.pem'), ...props,
    });
  }

  test.each([
    ['the endpoint has a prefix length of 33', { endpoint: NetworkPeer.ipBlock('10.0.32.0/33') }, /\[test\/Orders\] 'endpoint' \('10.0.32.0\/33'\) must be an IPv4 or IPv6 CIDR block/],
    ['the endpoint is a string', { endpoint: '10.0.32.0/20' }, /'endpoint' \('10.0.32.0\/20'\) must be a NetworkPeer/],
    ['the credentials are a Secret name', { credentials: { secret: 'orders-db' } }, /'credentials.secret' \('orders-db'\) must be a SecretsBinding/],
    ['the TLS mode is no mode', { sslMode: 'verify' }, /'sslMode' \('verify'\) must be a PostgresSslMode/],
    ['the port is a string', { port: '5432' }, /'port' \('5432'\) must be a number, or left unset/],
    ['the CA ConfigMap name has a space', { rootCertificate: PostgresRootCertificate.existingConfigMap('rds ca', 'bundle.pem') }, /'rootCertificate.name' \('rds ca'\) must be a DNS-1123 subdomain/],
    ['the CA Secret is no SecretsBinding', { rootCertificate: PostgresRootCertificate.fromSecret('ca' as any, 'ca.crt') }, /'rootCertificate.secret' \('ca'\) must be a SecretsBinding/],
    ['the CA ConfigMap is no object of the manifests', { rootCertificate: PostgresRootCertificate.fromConfigMap('ca' as any, 'ca.crt') }, /'rootCertificate.configMap' \('ca'\) must be an ApiObject/],
  ])('fails when %s', (_, props, message) => {
    expect(() => external(props)).toThrow(message);
  });

  test('fails when it is asked for a connection by something that is no workload', () => {
    const api = new ProductionApp(testChart(), 'Api', { image: Image.pinned('ghcr.io/acme/api', '1.0.0') });
    expect(() => external({}).grantConnection(api.peer as any)).toThrow(/'grantConnection' \(.*\) must be a workload/);
  });
});
