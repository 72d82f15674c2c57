import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ClusterDns, EgressEngine, HaPostgres, HaPostgresProps, ISecretProducer, NetworkPeer, ObjectStoreCredentials, ObjectStoreLocation, PostgresBackup,
  PostgresRecovery,
} from '../../lib';
import { Manifest, one, synth, testChart } from '../util';

// Where barman-cloud sends its requests, so that the database's egress names exactly that host:
// - barman-cloud builds its S3 client with boto3 and sets no addressing style (EnterpriseDB/barman
//   barman/cloud_providers/aws_s3.py, _reinit_session), so botocore's default applies.
// - botocore's S3 endpoint rules (botocore/data/s3/2006-03-01/endpoint-rule-set-1.json, read at 0e6e2404):
//   `https://{Bucket}.s3.{Region}.{dnsSuffix}` when aws.isVirtualHostableS3Bucket(Bucket, false) (one DNS label: no dots),
//   else path-style `https://s3.{Region}.{dnsSuffix}/{bucket}`; for us-east-1 the global `{Bucket}.s3.{dnsSuffix}` while
//   s3_us_east_1_regional_endpoint is 'legacy', its default (botocore/args.py _should_force_s3_global); with a custom
//   endpoint_url, path style against that host (research notes on S3, Part B6).
// - STS is regional by default: sts_regional_endpoints 'regional' (botocore/configprovider.py).
// - The Barman Cloud plugin v0.14.0 passes ObjectStore.spec.instanceSidecarConfiguration.env to its sidecar
//   (internal/cnpgi/operator/lifecycle_envs.go collectObjectStoreEnvs; lifecycle.go reconcilePodSpec), and its barman-cloud
//   commands run with the sidecar's environment (internal/cnpgi/common/wal.go: os.Environ()); boto3 reads AWS_DEFAULT_REGION.

class ProducedSecret extends Construct implements ISecretProducer {
  public constructor(public readonly name: string, public readonly keys: readonly string[], public readonly namespace = 'test') {
    super(undefined as unknown as Construct, name);
  }
  public keepOnPrune(): void {}
}

const SECRET = new ProducedSecret('backup-credentials', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY', 'REGION']);
const S3 = ObjectStoreCredentials.s3({ secret: SECRET });
const HTTPS = [{ ports: [{ port: '443', protocol: 'TCP' }] }];

function database(location: Partial<ObjectStoreLocation> & { destinationPath?: string }, props: Partial<HaPostgresProps> = {}): Manifest[] {
  const chart = testChart();
  new HaPostgres(chart, 'Db', {
    kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/16') },
    storage: { size: Size.gibibytes(10) },
    backup: PostgresBackup.toObjectStore({ destinationPath: 's3://backups/db', credentials: S3, ...location }),
    dns: ClusterDns.kubeDns(),
    egressEngine: EgressEngine.cilium(),
    ...props,
  });
  return synth(chart);
}

/** The names the instances reach, and on which ports, from their CiliumNetworkPolicy. */
function namedEgress(manifests: Manifest[]): unknown[] {
  // After the DNS rule: the rules by name (the API server's rule, by entity, is tested in ha-postgres.test.ts).
  return one(manifests, 'CiliumNetworkPolicy', 'db').spec.egress.slice(1).filter((rule: any) => rule.toEntities === undefined);
}

describe('object store endpoint by region', () => {
  test('reaches the bucket\'s virtual-hosted regional host, by name, on 443, and nothing else by name', () => {
    const manifests = database({ region: 'eu-west-1' });

    expect(namedEgress(manifests)).toEqual([{ toFQDNs: [{ matchName: 'backups.s3.eu-west-1.amazonaws.com' }], toPorts: HTTPS }]);
    expect(JSON.stringify(one(manifests, 'NetworkPolicy', 'db').spec.egress)).not.toContain('0.0.0.0/0');
  });

  test('gives the backup sidecar the region, so that botocore addresses the bucket there', () => {
    const store = one(database({ region: 'eu-west-1' }), 'ObjectStore', 'db');

    expect(store.spec.instanceSidecarConfiguration.env).toEqual([{ name: 'AWS_DEFAULT_REGION', value: 'eu-west-1' }]);
  });

  test('reaches the regional endpoint itself for a bucket name with dots, which botocore addresses path-style', () => {
    // A one-label wildcard (*.s3.eu-west-1.amazonaws.com) would not match my.backups.s3.eu-west-1.amazonaws.com either.
    expect(namedEgress(database({ destinationPath: 's3://my.backups/db', region: 'eu-west-1' })))
      .toEqual([{ toFQDNs: [{ matchName: 's3.eu-west-1.amazonaws.com' }], toPorts: HTTPS }]);
  });

  test('reaches the global host in us-east-1, and the China partition\'s suffix in a cn- region', () => {
    expect(namedEgress(database({ region: 'us-east-1' }))).toEqual([{ toFQDNs: [{ matchName: 'backups.s3.amazonaws.com' }], toPorts: HTTPS }]);
    expect(namedEgress(database({ region: 'cn-north-1' }))).toEqual([{ toFQDNs: [{ matchName: 'backups.s3.cn-north-1.amazonaws.com.cn' }], toPorts: HTTPS }]);
  });

  test('also reaches the regional STS endpoint when the pods assume an IAM role', () => {
    const manifests = database({ region: 'eu-west-1', credentials: ObjectStoreCredentials.awsIamRole('arn:aws:iam::123456789012:role/backups') });

    expect(namedEgress(manifests)).toEqual([{
      toFQDNs: [{ matchName: 'backups.s3.eu-west-1.amazonaws.com' }, { matchName: 'sts.eu-west-1.amazonaws.com' }], toPorts: HTTPS,
    }]);
  });

  test('reaches the endpoint it is given, by name on its port, instead of the derived one', () => {
    const manifests = database({
      region: 'eu-west-1', endpoint: NetworkPeer.domain('*.s3.eu-west-1.amazonaws.com'), endpointPort: 443,
    });

    expect(namedEgress(manifests)).toEqual([{ toFQDNs: [{ matchPattern: '*.s3.eu-west-1.amazonaws.com' }], toPorts: HTTPS }]);
  });

  test('derives nothing with an endpointUrl (path style against a host of its own) or without a region: every public address on 443', () => {
    for (const location of [{ endpointUrl: 'https://minio.example.com', region: 'eu-west-1' }, {}]) {
      const manifests = database(location);
      expect(namedEgress(manifests)).toEqual([]);
      expect(one(manifests, 'NetworkPolicy', 'db').spec.egress).toContainEqual({
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } }], ports: [{ port: 443, protocol: 'TCP' }],
      });
    }
  });

  test('renders the bucket host through the portable fallback when that is the stage\'s engine', () => {
    const manifests = database({ region: 'eu-west-1' }, { egressEngine: EgressEngine.portable() });

    expect(one(manifests, 'NetworkPolicy', 'db').metadata.annotations)
      .toEqual({ 'cdk8s-golden-path/egress-fallback-for': 'backups.s3.eu-west-1.amazonaws.com on 443/TCP' });
  });

  describe('validation', () => {
    const gcs = ObjectStoreCredentials.googleCloud({ secret: new ProducedSecret('gcs', ['credentials.json']) });
    test.each<[string, Partial<ObjectStoreLocation>, Partial<HaPostgresProps>, RegExp]>([
      ['the region is no AWS region', { region: 'Europe' }, {}, /\[test\/Db\] 'backup.region' \('Europe'\) must be an AWS region such as 'eu-west-1'/],
      ['a region is given for another provider', { destinationPath: 'gs://backups/db', credentials: gcs, region: 'eu-west-1' }, {},
        /'backup.region' \('eu-west-1'\) is an AWS region: Google Cloud Storage credentials take none/],
      ['the region is also read from the credentials Secret', { region: 'eu-west-1', credentials: ObjectStoreCredentials.s3({ secret: SECRET, regionKey: 'REGION' }) }, {},
        /'backup.region' \('eu-west-1'\) must not be given with 'credentials.regionKey'/],
      ['the endpoint by name is no DNS name', { endpoint: NetworkPeer.domain('https://backups.s3.amazonaws.com') }, {},
        /'backup.endpoint' \('https:\/\/backups.s3.amazonaws.com'\) must be a host name without a scheme/],
      ['the bucket is reached by name without an egress engine', { region: 'eu-west-1' }, { egressEngine: undefined },
        /\[test\/Db\/NetworkPolicy\] 'egressEngine' \(unset\) is required to reach backups.s3.eu-west-1.amazonaws.com by name/],
      ['the recovery bucket is in another region than the backups', { region: 'eu-west-1' }, {
        recovery: PostgresRecovery.fromObjectStore({ destinationPath: 's3://old-backups/db', credentials: S3, serverName: 'db-old', region: 'us-east-1' }),
      }, /'recovery.region' \('us-east-1'\) must be the backups' region \('eu-west-1'\)/],
      // A caller without a type checker:
      ['the region is a number', { region: 1 as any }, {}, /^\[test\/Db\] 'backup.region' \(1\) must be a string, or left unset$/],
      ['the recovery region is a list', { region: 'eu-west-1' }, {
        recovery: PostgresRecovery.fromObjectStore({ destinationPath: 's3://old-backups/db', credentials: S3, serverName: 'db-old', region: ['eu-west-1'] as any }),
      }, /^\[test\/Db\] 'recovery.region' \(\["eu-west-1"\]\) must be a string, or left unset$/],
    ])('fails when %s', (_what, location, props, message) => {
      expect(() => database(location, props)).toThrow(message);
    });
  });
});
