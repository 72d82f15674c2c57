import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import {
  Guardrails, GuardrailsValidation, Prerequisite, SecretSource, SecretStoreRef, SecretsBinding, Tier, setTier, synthWithGuardrails,
} from '../../lib';

type Manifest = Record<string, any>;

/** An app in namespace `test` with `objects`, and `prerequisites` declared on its chart. */
function appWith(objects: Manifest[], prerequisites: Prerequisite[] = [], tier = Tier.PRODUCTION): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'refs', { namespace: 'test' });
  setTier(chart, tier);
  objects.forEach((object, i) => new ApiObject(chart, `O${i}`, object as any));
  Prerequisite.declare(chart, ...prerequisites);
  return { app, chart };
}

/** The messages of `rule` for the objects. */
function messages(rule: string, objects: Manifest[], prerequisites: Prerequisite[] = []): string[] {
  return Guardrails.apply(appWith(objects, prerequisites).app).evaluate().findings.filter((f) => f.rule.id === rule).map((f) => f.message);
}

const unresolved = (field: string, kind: string, name: string, where = '') =>
  `${field} names ${kind} '${name}'${where}, which nothing in the app produces and no prerequisite declares`;

const obj = (apiVersion: string, kind: string, name: string, rest: Manifest = {}): Manifest => ({ apiVersion, kind, metadata: { name }, ...rest });
const podWith = (spec: Manifest) => obj('v1', 'Pod', 'app', { spec: { containers: [{ name: 'app', image: 'example/app:1.0.0' }], ...spec } });
const container = (rest: Manifest) => ({ name: 'c', image: 'example/app:1.0.0', ...rest });

describe('references-resolve: what each kind reads', () => {
  // Kubernetes core/v1 PodSpec, Container and Volume fields that name an object of the namespace.
  test.each<[string, Manifest, string[]]>([
    ['a secret volume', podWith({ volumes: [{ name: 'v', secret: { secretName: 's' } }] }), [unresolved('spec.volumes[0].secret.secretName', 'Secret', 's')]],
    ['a configMap volume', podWith({ volumes: [{ name: 'v', configMap: { name: 'c' } }] }), [unresolved('spec.volumes[0].configMap.name', 'ConfigMap', 'c')]],
    ['projected sources', podWith({ volumes: [{ name: 'v', projected: { sources: [{ secret: { name: 's' } }, { configMap: { name: 'c' } }, { serviceAccountToken: { path: 't' } }] } }] }),
      [unresolved('spec.volumes[0].projected.sources[0].secret.name', 'Secret', 's'), unresolved('spec.volumes[0].projected.sources[1].configMap.name', 'ConfigMap', 'c')]],
    ['a claim', podWith({ volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] }),
      [unresolved('spec.volumes[0].persistentVolumeClaim.claimName', 'PersistentVolumeClaim', 'data')]],
    ['a CSI driver\'s secret', podWith({ volumes: [{ name: 'v', csi: { driver: 'x', nodePublishSecretRef: { name: 's' } } }] }),
      [unresolved('spec.volumes[0].csi.nodePublishSecretRef.name', 'Secret', 's')]],
    ['env of every container list', podWith({
      initContainers: [container({ env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's1', key: 'k' } } }] })],
      containers: [container({ env: [{ name: 'B', valueFrom: { configMapKeyRef: { name: 'c1', key: 'k' } } }] })],
      ephemeralContainers: [container({ env: [{ name: 'C', valueFrom: { secretKeyRef: { name: 's2', key: 'k' } } }] })],
    }), [
      unresolved('spec.initContainers[0].env[0].valueFrom.secretKeyRef.name', 'Secret', 's1'),
      unresolved('spec.containers[0].env[0].valueFrom.configMapKeyRef.name', 'ConfigMap', 'c1'),
      unresolved('spec.ephemeralContainers[0].env[0].valueFrom.secretKeyRef.name', 'Secret', 's2'),
    ]],
    ['envFrom', podWith({ containers: [container({ envFrom: [{ secretRef: { name: 's' } }, { configMapRef: { name: 'c' } }] })] }),
      [unresolved('spec.containers[0].envFrom[0].secretRef.name', 'Secret', 's'), unresolved('spec.containers[0].envFrom[1].configMapRef.name', 'ConfigMap', 'c')]],
    ['image pull secrets', podWith({ imagePullSecrets: [{ name: 'registry' }] }), [unresolved('spec.imagePullSecrets[0].name', 'Secret', 'registry')]],
    ['a ServiceAccount', podWith({ serviceAccountName: 'api' }), [unresolved('spec.serviceAccountName', 'ServiceAccount', 'api')]],
    ['a ServiceAccount by its deprecated field', podWith({ serviceAccount: 'api' }), [unresolved('spec.serviceAccount', 'ServiceAccount', 'api')]],
    ['a ServiceAccount\'s image pull secrets', obj('v1', 'ServiceAccount', 'api', { imagePullSecrets: [{ name: 'registry' }] }),
      [unresolved('imagePullSecrets[0].name', 'Secret', 'registry')]],
    ['the pod template of a Deployment', obj('apps/v1', 'Deployment', 'api', {
      spec: { selector: {}, template: { spec: { containers: [container({ envFrom: [{ secretRef: { name: 's' } }] })] } } },
    }), [unresolved('spec.template.spec.containers[0].envFrom[0].secretRef.name', 'Secret', 's')]],
    ['the pod template of a CronJob', obj('batch/v1', 'CronJob', 'nightly', {
      spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { serviceAccountName: 'job', containers: [container({})] } } } } },
    }), [unresolved('spec.jobTemplate.spec.template.spec.serviceAccountName', 'ServiceAccount', 'job')]],
    ['a StatefulSet\'s governing Service', obj('apps/v1', 'StatefulSet', 'cache', { spec: { serviceName: 'cache-headless', selector: {}, template: { spec: { containers: [] } } } }),
      [unresolved('spec.serviceName', 'Service', 'cache-headless')]],
    ['an autoscaler\'s target', obj('autoscaling/v2', 'HorizontalPodAutoscaler', 'api', { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } } }),
      [unresolved('spec.scaleTargetRef.name', 'Deployment', 'api')]],
  ])('%s', (_, manifest, expected) => {
    expect(messages('references-resolve', [manifest])).toEqual(expected);
  });

  test.each<[string, Manifest]>([
    ['an optional secret volume', podWith({ volumes: [{ name: 'v', secret: { secretName: 's', optional: true } }] })],
    ['an optional configMap volume', podWith({ volumes: [{ name: 'v', configMap: { name: 'c', optional: true } }] })],
    ['optional env and envFrom', podWith({ containers: [container({
      env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: true } } }],
      envFrom: [{ configMapRef: { name: 'c', optional: true } }],
    })] })],
    ['the namespace\'s default ServiceAccount', podWith({ serviceAccountName: 'default' })],
    ['the root CA ConfigMap of every namespace', podWith({ volumes: [{ name: 'ca', configMap: { name: 'kube-root-ca.crt' } }] })],
  ])('accepts %s', (_, manifest) => {
    expect(messages('references-resolve', [manifest])).toEqual([]);
  });

  test('Ingress backends, TLS secrets and issuer annotations', () => {
    const ingress = obj('networking.k8s.io/v1', 'Ingress', 'web', {
      metadata: { name: 'web', annotations: { 'cert-manager.io/issuer': 'ca' } },
      spec: {
        defaultBackend: { service: { name: 'fallback', port: { number: 80 } } },
        tls: [{ hosts: ['a.example.com'], secretName: 'a-tls' }],
        rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      },
    });
    // The issuer annotation makes cert-manager's ingress-shim issue a-tls: only the Issuer and the Services are missing.
    expect(messages('references-resolve', [ingress])).toEqual([
      unresolved('spec.defaultBackend.service.name', 'Service', 'fallback'),
      unresolved('spec.rules[0].http.paths[0].backend.service.name', 'Service', 'web'),
      unresolved('metadata.annotations[cert-manager.io/issuer]', 'Issuer', 'ca'),
    ]);
    delete ingress.metadata.annotations;
    expect(messages('references-resolve', [ingress])).toContain(unresolved('spec.tls[0].secretName', 'Secret', 'a-tls'));
  });

  test('Gateway API: a route\'s Gateway and backends, in the namespaces they name, and a Gateway\'s certificates', () => {
    const route = obj('gateway.networking.k8s.io/v1', 'HTTPRoute', 'web', {
      spec: {
        parentRefs: [{ name: 'shared', namespace: 'gateways' }],
        rules: [{
          backendRefs: [{ name: 'web', port: 80 }],
          filters: [{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 80 } } }],
        }],
      },
    });
    const gateway = obj('gateway.networking.k8s.io/v1', 'Gateway', 'own', {
      spec: { gatewayClassName: 'eg', listeners: [{ name: 'https', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'own-tls' }] } }] },
    });
    expect(messages('references-resolve', [route, gateway])).toEqual([
      unresolved('spec.parentRefs[0].name', 'Gateway', 'shared', ' in namespace \'gateways\''),
      unresolved('spec.rules[0].backendRefs[0].name', 'Service', 'web'),
      unresolved('spec.rules[0].filters[0].requestMirror.backendRef.name', 'Service', 'shadow'),
      unresolved('spec.listeners[0].tls.certificateRefs[0].name', 'Secret', 'own-tls'),
    ]);
  });

  test('cert-manager: an issuerRef of cert-manager.io, an Issuer\'s CA; an external issuer is not checked', () => {
    const certificate = (issuerRef: Manifest) => obj('cert-manager.io/v1', 'Certificate', 'c', { spec: { secretName: 'c', issuerRef } });
    expect(messages('references-resolve', [
      certificate({ name: 'own' }),
      certificate({ name: 'public', kind: 'ClusterIssuer', group: 'cert-manager.io' }),
      certificate({ name: 'pca', kind: 'AWSPCAClusterIssuer', group: 'awspca.cert-manager.io' }),
      obj('cert-manager.io/v1', 'Issuer', 'ca', { spec: { ca: { secretName: 'ca-key-pair' } } }),
    ])).toEqual([
      unresolved('spec.issuerRef.name', 'Issuer', 'own'),
      unresolved('spec.issuerRef.name', 'ClusterIssuer', 'public'),
      unresolved('spec.ca.secretName', 'Secret', 'ca-key-pair'),
    ]);
  });

  test('External Secrets: the stores, a Merge target, template sources', () => {
    const external = obj('external-secrets.io/v1', 'ExternalSecret', 'creds', {
      spec: {
        secretStoreRef: { name: 'vault' },
        data: [{ secretKey: 'a', remoteRef: { key: 'a' }, sourceRef: { storeRef: { kind: 'ClusterSecretStore', name: 'aws' } } }],
        dataFrom: [{ extract: { key: 'b' }, sourceRef: { storeRef: { name: 'gcp' } } }],
        target: { creationPolicy: 'Merge', template: { templateFrom: [{ configMap: { name: 'tpl', items: [] } }, { secret: { name: 'tpl-secret', items: [] } }] } },
      },
    });
    expect(messages('references-resolve', [external])).toEqual([
      unresolved('spec.secretStoreRef.name', 'SecretStore', 'vault'),
      unresolved('spec.data[0].sourceRef.storeRef.name', 'ClusterSecretStore', 'aws'),
      unresolved('spec.dataFrom[0].sourceRef.storeRef.name', 'SecretStore', 'gcp'),
      unresolved('spec.target.name', 'Secret', 'creds'),
      unresolved('spec.target.template.templateFrom[0].configMap.name', 'ConfigMap', 'tpl'),
      unresolved('spec.target.template.templateFrom[1].secret.name', 'Secret', 'tpl-secret'),
    ]);
  });

  test('RBAC: a RoleBinding\'s Role or ClusterRole, a ClusterRoleBinding\'s ClusterRole; the default ClusterRoles exist', () => {
    const binding = (kind: string, name: string, roleKind: string, roleName: string) =>
      obj('rbac.authorization.k8s.io/v1', kind, name, { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: roleKind, name: roleName }, subjects: [] });
    expect(messages('references-resolve', [
      binding('RoleBinding', 'a', 'Role', 'deployer'),
      binding('RoleBinding', 'b', 'ClusterRole', 'auditor'),
      binding('ClusterRoleBinding', 'c', 'ClusterRole', 'crd-reader'),
      binding('RoleBinding', 'd', 'ClusterRole', 'view'),
      binding('RoleBinding', 'e', 'ClusterRole', 'system:image-puller'),
    ])).toEqual([
      unresolved('roleRef.name', 'Role', 'deployer'),
      unresolved('roleRef.name', 'ClusterRole', 'auditor'),
      unresolved('roleRef.name', 'ClusterRole', 'crd-reader'),
    ]);
  });

  test('a RoleBinding to a Role of the app resolves', () => {
    expect(messages('references-resolve', [
      obj('rbac.authorization.k8s.io/v1', 'Role', 'deployer', { rules: [] }),
      obj('rbac.authorization.k8s.io/v1', 'RoleBinding', 'a', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' } }),
    ])).toEqual([]);
  });

  // plugin-barman-cloud v0.14.0 internal/cnpgi/operator/specs/secrets.go: every credential the ObjectStore reads.
  test.each([
    ['s3Credentials', ['accessKeyId', 'secretAccessKey', 'region', 'sessionToken']],
    ['azureCredentials', ['connectionString', 'storageAccount', 'storageKey', 'storageSasToken']],
    ['googleCredentials', ['applicationCredentials']],
  ])('Barman Cloud ObjectStore %s', (provider, keys) => {
    const store = obj('barmancloud.cnpg.io/v1', 'ObjectStore', 'backups', {
      spec: { configuration: { destinationPath: 's3://b', [provider]: Object.fromEntries(keys.map((k) => [k, { name: `${k}-secret`, key: 'k' }])), endpointCA: { name: 'ca', key: 'ca.crt' } } },
    });
    expect(messages('references-resolve', [store])).toEqual([
      ...keys.map((k) => unresolved(`spec.configuration.${provider}.${k}.name`, 'Secret', `${k}-secret`)),
      unresolved('spec.configuration.endpointCA.name', 'Secret', 'ca'),
    ]);
  });

  test('a Barman Cloud ObjectStore with workload identity reads no Secret', () => {
    const store = obj('barmancloud.cnpg.io/v1', 'ObjectStore', 'backups', { spec: { configuration: { destinationPath: 's3://b', s3Credentials: { inheritFromIAMRole: true } } } });
    expect(messages('references-resolve', [store])).toEqual([]);
  });

  // cloudnative-pg v1.30.0 api/v1/cluster_types.go: the names a Cluster reads.
  test('a CloudNativePG Cluster', () => {
    const cluster = obj('postgresql.cnpg.io/v1', 'Cluster', 'db', {
      spec: {
        instances: 3,
        imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: 'ClusterImageCatalog', name: 'postgresql', major: 18 },
        plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store' } }, { name: 'other', parameters: { barmanObjectName: 'x' } }],
        externalClusters: [{ name: 'origin', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'origin-store' } }, password: { name: 'origin-pw', key: 'p' } }],
        imagePullSecrets: [{ name: 'registry' }],
        bootstrap: { recovery: { source: 'origin', secret: { name: 'app-creds' }, backup: { name: 'last' } } },
        certificates: { serverTLSSecret: 'server-tls', serverCASecret: 'server-ca' },
        serviceAccountName: 'db-sa',
        managed: { roles: [{ name: 'reporter', passwordSecret: { name: 'reporter-pw' } }] },
        monitoring: { customQueriesConfigMap: [{ name: 'queries', key: 'q' }], customQueriesSecret: [{ name: 'queries-secret', key: 'q' }] },
      },
    });
    expect(messages('references-resolve', [cluster])).toEqual([
      unresolved('spec.plugins[0].parameters.barmanObjectName', 'ObjectStore', 'store'),
      unresolved('spec.externalClusters[0].plugin.parameters.barmanObjectName', 'ObjectStore', 'origin-store'),
      unresolved('spec.externalClusters[0].password.name', 'Secret', 'origin-pw'),
      unresolved('spec.imagePullSecrets[0].name', 'Secret', 'registry'),
      unresolved('spec.bootstrap.recovery.secret.name', 'Secret', 'app-creds'),
      unresolved('spec.bootstrap.recovery.backup.name', 'Backup', 'last'),
      unresolved('spec.certificates.serverCASecret', 'Secret', 'server-ca'),
      unresolved('spec.certificates.serverTLSSecret', 'Secret', 'server-tls'),
      unresolved('spec.serviceAccountName', 'ServiceAccount', 'db-sa'),
      unresolved('spec.managed.roles[0].passwordSecret.name', 'Secret', 'reporter-pw'),
      unresolved('spec.monitoring.customQueriesConfigMap[0].name', 'ConfigMap', 'queries'),
      unresolved('spec.monitoring.customQueriesSecret[0].name', 'Secret', 'queries-secret'),
      unresolved('spec.imageCatalogRef.name', 'ClusterImageCatalog', 'postgresql'),
    ]);
  });

  test('a CloudNativePG Pooler, ScheduledBackup and Backup name their Cluster', () => {
    expect(messages('references-resolve', [
      obj('postgresql.cnpg.io/v1', 'Pooler', 'pool', {
        spec: {
          cluster: { name: 'db' }, instances: 2, type: 'rw', serviceAccountName: 'pool-sa',
          pgbouncer: { authQuerySecret: { name: 'auth' }, authQuery: 'SELECT 1' },
          template: { spec: { containers: [container({ envFrom: [{ configMapRef: { name: 'tuning' } }] })] } },
        },
      }),
      obj('postgresql.cnpg.io/v1', 'ScheduledBackup', 'nightly', { spec: { cluster: { name: 'db' }, schedule: '0 0 2 * * *' } }),
      obj('postgresql.cnpg.io/v1', 'Backup', 'once', { spec: { cluster: { name: 'db' } } }),
    ])).toEqual([
      unresolved('spec.cluster.name', 'Cluster', 'db'),
      unresolved('spec.pgbouncer.authQuerySecret.name', 'Secret', 'auth'),
      unresolved('spec.serviceAccountName', 'ServiceAccount', 'pool-sa'),
      unresolved('spec.template.spec.containers[0].envFrom[0].configMapRef.name', 'ConfigMap', 'tuning'),
      unresolved('spec.cluster.name', 'Cluster', 'db'),
      unresolved('spec.cluster.name', 'Cluster', 'db'),
    ]);
  });
});

describe('references-resolve: what operators produce', () => {
  const reader = (...secrets: string[]) => podWith({ volumes: secrets.map((secretName, i) => ({ name: `v${i}`, secret: { secretName } })) });
  const external = (name: string, target?: Manifest) =>
    obj('external-secrets.io/v1', 'ExternalSecret', name, { spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, ...target !== undefined ? { target } : {} } });
  const vault = Prerequisite.clusterObject('ClusterSecretStore', 'vault', 'test');

  // external-secrets v2.9.0 externalsecret_types.go: target.name defaults to the ExternalSecret's name; Merge and None create nothing.
  test('an ExternalSecret produces its target, by default its own name, unless it merges into or creates none', () => {
    expect(messages('references-resolve', [
      reader('plain', 'renamed', 'merged', 'none', 'merge-or-create'),
      external('plain'),
      external('x', { name: 'renamed' }),
      external('y', { name: 'merged', creationPolicy: 'Merge' }),
      external('z', { name: 'none', creationPolicy: 'None' }),
      external('w', { name: 'merge-or-create', creationPolicy: 'CreateOrMerge' }),
    ], [vault])).toEqual([
      unresolved('spec.volumes[2].secret.secretName', 'Secret', 'merged'),
      unresolved('spec.volumes[3].secret.secretName', 'Secret', 'none'),
      unresolved('spec.target.name', 'Secret', 'merged'),
    ]);
  });

  test('an ExternalSecret with a manifest target produces that kind instead of a Secret', () => {
    const generic = external('settings', { manifest: { apiVersion: 'v1', kind: 'ConfigMap' } });
    expect(messages('references-resolve', [podWith({ volumes: [{ name: 'v', configMap: { name: 'settings' } }] }), generic], [vault])).toEqual([]);
    expect(messages('references-resolve', [reader('settings'), generic], [vault])).toEqual([unresolved('spec.volumes[0].secret.secretName', 'Secret', 'settings')]);
  });

  test('a SealedSecret produces the Secret of its name, a Certificate its secretName', () => {
    expect(messages('references-resolve', [
      reader('sealed', 'tls'),
      obj('bitnami.com/v1alpha1', 'SealedSecret', 'sealed', { spec: { encryptedData: {} } }),
      obj('cert-manager.io/v1', 'Certificate', 'cert', { spec: { secretName: 'tls', issuerRef: { kind: 'ClusterIssuer', name: 'le' } } }),
    ], [Prerequisite.clusterObject('ClusterIssuer', 'le', 'test')])).toEqual([]);
  });

  test('cert-manager\'s gateway-shim issues the certificates of an annotated Gateway', () => {
    const gateway = obj('gateway.networking.k8s.io/v1', 'Gateway', 'gw', {
      metadata: { name: 'gw', annotations: { 'cert-manager.io/cluster-issuer': 'le' } },
      spec: { gatewayClassName: 'eg', listeners: [{ name: 'a', port: 443, protocol: 'HTTPS', tls: { certificateRefs: [{ name: 'gw-tls' }] } }] },
    });
    expect(messages('references-resolve', [gateway], [Prerequisite.clusterObject('ClusterIssuer', 'le', 'test')])).toEqual([]);
  });

  // cloudnative-pg v1.30.0: api/v1/cluster_funcs.go (Get*Name), internal/controller/cluster_create.go.
  test('a CloudNativePG Cluster produces its Secrets, Services and ServiceAccount', () => {
    const services = ['db-rw', 'db-ro', 'db-r'].map((name) =>
      obj('networking.k8s.io/v1', 'Ingress', `i-${name}`, { spec: { defaultBackend: { service: { name, port: { number: 5432 } } } } }));
    expect(messages('references-resolve', [
      obj('postgresql.cnpg.io/v1', 'Cluster', 'db', { spec: { instances: 3 } }),
      podWith({ serviceAccountName: 'db', volumes: ['db-app', 'db-ca', 'db-server', 'db-replication', 'db-superuser']
        .map((secretName, i) => ({ name: `v${i}`, secret: { secretName } })) }),
      ...services,
    ])).toEqual([unresolved('spec.volumes[4].secret.secretName', 'Secret', 'db-superuser')]);
  });

  test('a CloudNativePG Cluster makes the superuser Secret with superuser access only, and no Secret the bootstrap names', () => {
    const cluster = obj('postgresql.cnpg.io/v1', 'Cluster', 'db', {
      spec: { enableSuperuserAccess: true, bootstrap: { initdb: { secret: { name: 'own' } } }, managed: { services: { disabledDefaultServices: ['ro'] } } },
    });
    expect(messages('references-resolve', [cluster, reader('db-superuser', 'db-app'),
      obj('networking.k8s.io/v1', 'Ingress', 'i', { spec: { defaultBackend: { service: { name: 'db-ro', port: { number: 5432 } } } } })]))
      .toEqual([
        unresolved('spec.bootstrap.initdb.secret.name', 'Secret', 'own'),
        unresolved('spec.volumes[1].secret.secretName', 'Secret', 'db-app'),
        unresolved('spec.defaultBackend.service.name', 'Service', 'db-ro'),
      ]);
  });

  test('a CloudNativePG Pooler produces the Service of its name', () => {
    expect(messages('references-resolve', [
      obj('postgresql.cnpg.io/v1', 'Cluster', 'db', { spec: { instances: 1 } }),
      obj('postgresql.cnpg.io/v1', 'Pooler', 'db-pooler', { spec: { cluster: { name: 'db' }, type: 'rw' } }),
      obj('networking.k8s.io/v1', 'Ingress', 'i', { spec: { defaultBackend: { service: { name: 'db-pooler', port: { number: 5432 } } } } }),
    ])).toEqual([]);
  });

  test('a StatefulSet produces a claim per template and replica', () => {
    const sts = obj('apps/v1', 'StatefulSet', 'cache', {
      spec: { replicas: 2, selector: {}, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: {} }], template: { spec: { containers: [] } } },
    });
    const claims = (...names: string[]) => podWith({ volumes: names.map((claimName, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName } })) });
    expect(messages('references-resolve', [sts, claims('data-cache-0', 'data-cache-1', 'data-cache-2')]))
      .toEqual([unresolved('spec.volumes[2].persistentVolumeClaim.claimName', 'PersistentVolumeClaim', 'data-cache-2')]);
  });
});

describe('references-resolve: declared prerequisites', () => {
  test('a cluster object or an object of a namespace the app declares resolves', () => {
    const external = obj('external-secrets.io/v1', 'ExternalSecret', 'creds', { spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' } } });
    const tls = obj('networking.k8s.io/v1', 'Ingress', 'web', { spec: { tls: [{ secretName: 'wildcard-tls' }] } });
    expect(messages('references-resolve', [external, tls], [
      Prerequisite.clusterObject('ClusterSecretStore', 'vault', 'the platform team runs Vault'),
      Prerequisite.object('Secret', 'test', 'wildcard-tls', 'the wildcard certificate is managed by the edge team'),
    ])).toEqual([]);
  });

  test('a prerequisite of another namespace does not resolve a reference in this one', () => {
    const tls = obj('networking.k8s.io/v1', 'Ingress', 'web', { spec: { tls: [{ secretName: 'wildcard-tls' }] } });
    expect(messages('references-resolve', [tls], [Prerequisite.object('Secret', 'edge', 'wildcard-tls', 'elsewhere')]))
      .toEqual([unresolved('spec.tls[0].secretName', 'Secret', 'wildcard-tls')]);
  });
});

describe('references-resolve: synthesis', () => {
  test('fails a production synth with the construct path, the field and the missing name', () => {
    const { app } = appWith([podWith({ volumes: [{ name: 'v', secret: { secretName: 'missing' } }] })]);
    Guardrails.apply(app);
    expect(() => app.synth()).toThrow(/\[refs\/O0\] Pod test\/app violates guardrail references-resolve: spec\.volumes\[0\]\.secret\.secretName names Secret 'missing', which nothing in the app produces/);
  });

  test('is a warning in development', () => {
    const { app } = appWith([podWith({ volumes: [{ name: 'v', secret: { secretName: 'missing' } }] })], [], Tier.DEVELOPMENT);
    const report = Guardrails.apply(app).evaluate();
    expect(report.errors.filter((f) => f.rule.id === 'references-resolve')).toEqual([]);
    expect(report.warnings.map((f) => f.rule.id)).toContain('references-resolve');
  });

  test('as a validation plugin, without declarations, checks references within a namespace and takes cluster objects as the cluster\'s', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'refs-'));
    try {
      const manifest = path.join(dir, 'app.k8s.yaml');
      fs.writeFileSync(manifest, [
        'apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata:\n  name: creds\n  namespace: test\nspec:\n  secretStoreRef:\n    kind: ClusterSecretStore\n    name: vault\n',
        'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: test\nimagePullSecrets:\n  - name: registry\n',
      ].join('---\n'));
      const locations: string[] = [];
      await new GuardrailsValidation().validate({
        manifests: [manifest],
        report: {
          addViolation: (v) => v.ruleName.startsWith('references-resolve') && locations.push(...v.violatingResources.flatMap((r) => r.locations)),
          submit: () => undefined,
        },
      });
      expect(locations).toEqual(['ServiceAccount test/api, line 11: imagePullSecrets[0].name names Secret \'registry\', which none of the manifests produces']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('identities-unique', () => {
  const configMap = (name: string, namespace?: string) => obj('v1', 'ConfigMap', name, { metadata: { name, ...namespace !== undefined ? { namespace } : {} } });

  test('fails two objects with the same group, kind, namespace and name, naming both construct paths', () => {
    const { app } = appWith([configMap('settings'), configMap('other'), configMap('settings')]);
    Guardrails.apply(app);
    expect(() => app.synth()).toThrow(/\[refs\/O2\] ConfigMap test\/settings violates guardrail identities-unique: is also written at \[refs\/O0\]: applying both, one replaces the other/);
  });

  test('fails in development too: the manifests would not do what they say in any cluster', () => {
    const { app } = appWith([configMap('settings'), configMap('settings')], [], Tier.DEVELOPMENT);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ids-'));
    try {
      const devApp = new App({ outdir });
      const chart = new Chart(devApp, 'refs', { namespace: 'test' });
      setTier(chart, Tier.DEVELOPMENT);
      new ApiObject(chart, 'A', configMap('settings') as any);
      new ApiObject(chart, 'B', configMap('settings') as any);
      expect(() => synthWithGuardrails(devApp, { log: () => undefined })).toThrow(/\[refs\/B\] ConfigMap test\/settings violates guardrail identities-unique/);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
    const report = Guardrails.apply(app).evaluate();
    expect(report.errors.map((f) => f.rule.id)).toEqual(['identities-unique']);
    const rule = (report.toSarif() as any).runs[0].tool.driver.rules.find((r: any) => r.id === 'identities-unique');
    expect(rule.properties.developmentLevel).toBe('error');
  });

  test('accepts the same name in another namespace, of another kind or of another API group', () => {
    expect(messages('identities-unique', [
      configMap('settings'),
      configMap('settings', 'other'),
      obj('v1', 'Secret', 'settings'),
      obj('example.com/v1', 'ConfigMap', 'settings'),
    ])).toEqual([]);
  });

  test('fails a SecretsBinding that writes the Secret CloudNativePG makes for its Cluster', () => {
    const { app, chart } = appWith([obj('postgresql.cnpg.io/v1', 'Cluster', 'db', { spec: { instances: 3 } })]);
    new SecretsBinding(chart, 'DbCreds', {
      name: 'db-app',
      source: SecretSource.externalSecret({ store: SecretStoreRef.cluster('vault'), data: { password: { key: 'db/password' } } }),
    });
    expect(Guardrails.apply(app).evaluate().findings.filter((f) => f.rule.id === 'identities-unique').map((f) => `${f.object.path}: ${f.message}`)).toEqual([
      'refs/DbCreds/Resource: Secret test/db-app has two producers, Cluster test/db [refs/O0] (CloudNativePG 1.30: the application user\'s credentials) '
      + 'and ExternalSecret test/db-app [refs/DbCreds/Resource] (External Secrets: spec.target (creationPolicy Owner)): one replaces the other',
    ]);
  });

  test('fails two ExternalSecrets with one target, and a Certificate writing an ExternalSecret\'s target', () => {
    const external = (name: string, target: string) => obj('external-secrets.io/v1', 'ExternalSecret', name, { spec: { target: { name: target } } });
    expect(messages('identities-unique', [
      external('a', 'shared'),
      external('b', 'shared'),
      obj('cert-manager.io/v1', 'Certificate', 'c', { spec: { secretName: 'shared' } }),
    ])).toEqual([
      'Secret test/shared has two producers, ExternalSecret test/a [refs/O0] (External Secrets: spec.target (creationPolicy Owner)) '
      + 'and ExternalSecret test/b [refs/O1] (External Secrets: spec.target (creationPolicy Owner)): one replaces the other',
      'Secret test/shared has two producers, ExternalSecret test/a [refs/O0] (External Secrets: spec.target (creationPolicy Owner)) '
      + 'and Certificate test/c [refs/O2] (cert-manager: spec.secretName): one replaces the other',
    ]);
  });

  test('fails an object the app writes that an operator also makes', () => {
    expect(messages('identities-unique', [
      obj('postgresql.cnpg.io/v1', 'Cluster', 'db', { spec: { instances: 3 } }),
      obj('v1', 'Service', 'db-rw', { spec: {} }),
    ])).toEqual([
      'Service test/db-rw has two producers, Cluster test/db [refs/O0] (CloudNativePG 1.30: a default Service) and Service test/db-rw [refs/O1]: one replaces the other',
    ]);
  });

  test('accepts producers that merge: CreateOrMerge targets, the client certificate Secret every Pooler of a Cluster shares', () => {
    expect(messages('identities-unique', [
      obj('external-secrets.io/v1', 'ExternalSecret', 'a', { spec: { target: { name: 'shared', creationPolicy: 'CreateOrMerge' } } }),
      obj('external-secrets.io/v1', 'ExternalSecret', 'b', { spec: { target: { name: 'shared', creationPolicy: 'CreateOrMerge' } } }),
      obj('postgresql.cnpg.io/v1', 'Pooler', 'rw', { spec: { cluster: { name: 'db' }, type: 'rw' } }),
      obj('postgresql.cnpg.io/v1', 'Pooler', 'ro', { spec: { cluster: { name: 'db' }, type: 'ro' } }),
    ])).toEqual([]);
  });

  test('accepts one certificate shared by two listeners of an annotated Gateway', () => {
    const listener = (name: string) => ({ name, port: 443, protocol: 'HTTPS', hostname: `${name}.example.com`, tls: { certificateRefs: [{ name: 'wildcard' }] } });
    expect(messages('identities-unique', [obj('gateway.networking.k8s.io/v1', 'Gateway', 'gw', {
      metadata: { name: 'gw', annotations: { 'cert-manager.io/cluster-issuer': 'le' } },
      spec: { gatewayClassName: 'eg', listeners: [listener('a'), listener('b')] },
    })])).toEqual([]);
  });
});
