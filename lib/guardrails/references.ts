import { ObjectIdentity, groupOf, identityOf } from './identity';
import { GuardrailObject } from './objects';
import { BARMAN_CLOUD_PLUGIN } from './producers';

/** A name an object reads: the object it names, and the field that names it. */
export interface Reference {
  /** The object named. */
  readonly identity: ObjectIdentity;
  /** Where the name is, as a field path of the object: `spec.template.spec.volumes[1].secret.secretName`. */
  readonly field: string;
}

/** Collects the references of one object, each relative to its namespace. */
class References {
  public readonly found: Reference[] = [];

  public constructor(private readonly namespace: string | undefined) {}

  /** `kind` `name` (when a name is given), in the object's namespace unless `namespace` says otherwise. */
  public add(group: string, kind: string, name: unknown, field: string, namespace?: string): void {
    if (typeof name === 'string' && name !== '') {
      this.found.push({ identity: identityOf(group, kind, namespace ?? this.namespace, name), field });
    }
  }

  /** A Secret or ConfigMap key selector's object, unless the selector is optional. */
  public addSelector(kind: 'Secret' | 'ConfigMap', selector: any, field: string): void {
    if (selector !== undefined && selector.optional !== true) {
      this.add('', kind, selector.name, `${field}.name`);
    }
  }

  /** Every reference of each element of `list`. */
  public each(list: unknown, field: string, read: (item: any, at: string) => void): void {
    ((Array.isArray(list) ? list : []) as any[]).forEach((item, i) => read(item ?? {}, `${field}[${i}]`));
  }
}

/** What the volumes of a pod (or of a custom resource's pods) read by name: Secrets, ConfigMaps, claims. */
function volumeReferences(refs: References, volumes: unknown, field: string): void {
  refs.each(volumes, field, (volume, at) => {
    if (volume.secret !== undefined && volume.secret.optional !== true) {
      refs.add('', 'Secret', volume.secret.secretName, `${at}.secret.secretName`);
    }
    refs.addSelector('ConfigMap', volume.configMap, `${at}.configMap`);
    refs.add('', 'PersistentVolumeClaim', volume.persistentVolumeClaim?.claimName, `${at}.persistentVolumeClaim.claimName`);
    refs.add('', 'Secret', volume.csi?.nodePublishSecretRef?.name, `${at}.csi.nodePublishSecretRef.name`);
    refs.each(volume.projected?.sources, `${at}.projected.sources`, (source, sourceField) => {
      refs.addSelector('Secret', source.secret, `${sourceField}.secret`);
      refs.addSelector('ConfigMap', source.configMap, `${sourceField}.configMap`);
    });
  });
}

/** What the env of a container (or of a custom resource's containers) reads: Secret and ConfigMap key selectors. */
function envReferences(refs: References, env: unknown, field: string): void {
  refs.each(env, field, (item, at) => {
    refs.addSelector('Secret', item.valueFrom?.secretKeyRef, `${at}.valueFrom.secretKeyRef`);
    refs.addSelector('ConfigMap', item.valueFrom?.configMapKeyRef, `${at}.valueFrom.configMapKeyRef`);
  });
}

/** What a pod reads by name: its ServiceAccount, image pull Secrets, volumes' Secrets, ConfigMaps and claims, containers' env sources. */
function podReferences(refs: References, spec: any, at: string): void {
  refs.add('', 'ServiceAccount', spec.serviceAccountName ?? spec.serviceAccount, `${at}.${spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount'}`);
  refs.each(spec.imagePullSecrets, `${at}.imagePullSecrets`, (s, field) => refs.add('', 'Secret', s.name, `${field}.name`));
  volumeReferences(refs, spec.volumes, `${at}.volumes`);
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    refs.each(spec[list], `${at}.${list}`, (container, field) => {
      envReferences(refs, container.env, `${field}.env`);
      refs.each(container.envFrom, `${field}.envFrom`, (source, sourceField) => {
        refs.addSelector('Secret', source.secretRef, `${sourceField}.secretRef`);
        refs.addSelector('ConfigMap', source.configMapRef, `${sourceField}.configMapRef`);
      });
    });
  }
}

/** A Gateway API reference (`parentRefs`, `backendRefs`, `certificateRefs`): group, kind and namespace default per field. */
function gatewayReference(refs: References, ref: any, field: string, group: string, kind: string): void {
  refs.add(ref.group ?? group, ref.kind ?? kind, ref.name, `${field}.name`, ref.namespace);
}

const GATEWAY_API = 'gateway.networking.k8s.io';
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'];
const ISSUER_ANNOTATIONS: ReadonlyArray<readonly [string, string]> = [['cert-manager.io/cluster-issuer', 'ClusterIssuer'], ['cert-manager.io/issuer', 'Issuer']];

/** The cert-manager issuer an Ingress or Gateway names in an annotation, for cert-manager's ingress-shim and gateway-shim. */
function issuerAnnotations(refs: References, manifest: any): void {
  for (const [annotation, kind] of ISSUER_ANNOTATIONS) {
    refs.add('cert-manager.io', kind, manifest.metadata?.annotations?.[annotation], `metadata.annotations[${annotation}]`);
  }
}

/** An External Secrets store reference: `SecretStore` unless it says `ClusterSecretStore`. */
function storeReference(refs: References, ref: any, field: string): void {
  if (ref !== undefined) {
    refs.add('external-secrets.io', ref.kind ?? 'SecretStore', ref.name, `${field}.name`);
  }
}

/** The objects a CloudNativePG 1.30 Cluster names (api/v1/cluster_types.go, cluster_funcs.go). */
function cnpgCluster(refs: References, spec: any): void {
  refs.each(spec.plugins, 'spec.plugins', (plugin, field) => {
    if (plugin.name === BARMAN_CLOUD_PLUGIN) {
      refs.add('barmancloud.cnpg.io', 'ObjectStore', plugin.parameters?.barmanObjectName, `${field}.parameters.barmanObjectName`);
    }
  });
  refs.each(spec.externalClusters, 'spec.externalClusters', (cluster, field) => {
    if (cluster.plugin?.name === BARMAN_CLOUD_PLUGIN) {
      refs.add('barmancloud.cnpg.io', 'ObjectStore', cluster.plugin.parameters?.barmanObjectName, `${field}.plugin.parameters.barmanObjectName`);
    }
    for (const key of ['password', 'sslKey', 'sslCert', 'sslRootCert']) {
      refs.add('', 'Secret', cluster[key]?.name, `${field}.${key}.name`);
    }
  });
  refs.each(spec.imagePullSecrets, 'spec.imagePullSecrets', (s, field) => refs.add('', 'Secret', s.name, `${field}.name`));
  for (const method of ['initdb', 'recovery', 'pg_basebackup']) {
    refs.add('', 'Secret', spec.bootstrap?.[method]?.secret?.name, `spec.bootstrap.${method}.secret.name`);
  }
  refs.add('postgresql.cnpg.io', 'Backup', spec.bootstrap?.recovery?.backup?.name, 'spec.bootstrap.recovery.backup.name');
  refs.add('', 'Secret', spec.superuserSecret?.name, 'spec.superuserSecret.name');
  for (const key of ['serverCASecret', 'serverTLSSecret', 'replicationTLSSecret', 'clientCASecret']) {
    refs.add('', 'Secret', spec.certificates?.[key], `spec.certificates.${key}`);
  }
  refs.add('', 'ServiceAccount', spec.serviceAccountName, 'spec.serviceAccountName');
  refs.each(spec.managed?.roles, 'spec.managed.roles', (role, field) => refs.add('', 'Secret', role.passwordSecret?.name, `${field}.passwordSecret.name`));
  refs.add('', 'Secret', spec.postgresql?.ldap?.bindSearchAuth?.bindPassword?.name, 'spec.postgresql.ldap.bindSearchAuth.bindPassword.name');
  refs.each(spec.monitoring?.customQueriesConfigMap, 'spec.monitoring.customQueriesConfigMap', (c, field) => refs.add('', 'ConfigMap', c.name, `${field}.name`));
  refs.each(spec.monitoring?.customQueriesSecret, 'spec.monitoring.customQueriesSecret', (c, field) => refs.add('', 'Secret', c.name, `${field}.name`));
  refs.add(spec.imageCatalogRef?.apiGroup ?? 'postgresql.cnpg.io', spec.imageCatalogRef?.kind ?? 'ImageCatalog', spec.imageCatalogRef?.name, 'spec.imageCatalogRef.name');
}

const REDIS_GROUP = 'redis.redis.opstreelabs.in';

/** The password Secret and registry credentials of an inline `KubernetesConfig` of the Redis Operator's resources. */
function redisKubernetesConfig(refs: References, config: any, at: string): void {
  refs.add('', 'Secret', config?.redisSecret?.name, `${at}.redisSecret.name`);
  refs.each(config?.imagePullSecrets, `${at}.imagePullSecrets`, (s, field) => refs.add('', 'Secret', s.name, `${field}.name`));
}

/**
 * What the pods of a Redis Operator v0.26.0 resource read (api/common/v1beta2/common_types.go,
 * internal/k8sutils/statefulset.go): the password, the registry credentials, the ServiceAccount, the TLS and ACL
 * Secrets, the extra config ConfigMap, the env and the extra volumes (`storage.volumeMount`, or `volumeMount` of a RedisSentinel).
 */
function redisPods(refs: References, spec: any): void {
  redisKubernetesConfig(refs, spec.kubernetesConfig, 'spec.kubernetesConfig');
  refs.add('', 'ServiceAccount', spec.serviceAccountName, 'spec.serviceAccountName');
  refs.add('', 'Secret', spec.TLS?.secret?.secretName, 'spec.TLS.secret.secretName');
  refs.add('', 'Secret', spec.acl?.secret?.secretName, 'spec.acl.secret.secretName');
  refs.add('', 'ConfigMap', spec.redisConfig?.additionalRedisConfig, 'spec.redisConfig.additionalRedisConfig');
  envReferences(refs, spec.env, 'spec.env');
  volumeReferences(refs, spec.storage?.volumeMount?.volume, 'spec.storage.volumeMount.volume');
  volumeReferences(refs, spec.volumeMount?.volume, 'spec.volumeMount.volume');
}

type Reader = (refs: References, manifest: any, spec: any) => void;

/**
 * What objects of each kind read by name, by `group/Kind` (pods are read wherever an object has a pod
 * template): the table the `references-resolve` guardrail checks. A kind added to the library adds its
 * row here, and what its operator creates to `PRODUCERS`.
 */
export const READERS: Readonly<Record<string, Reader>> = {
  '/ServiceAccount': (refs, manifest) => refs.each(manifest.imagePullSecrets, 'imagePullSecrets', (s, field) => refs.add('', 'Secret', s.name, `${field}.name`)),
  'apps/StatefulSet': (refs, _, spec) => refs.add('', 'Service', spec.serviceName, 'spec.serviceName'),
  'autoscaling/HorizontalPodAutoscaler': (refs, _, spec) => {
    const target = spec.scaleTargetRef ?? {};
    refs.add(groupOf(target.apiVersion ?? ''), target.kind ?? '', target.name, 'spec.scaleTargetRef.name');
  },
  'networking.k8s.io/Ingress': (refs, manifest, spec) => {
    refs.add('', 'Service', spec.defaultBackend?.service?.name, 'spec.defaultBackend.service.name');
    refs.each(spec.rules, 'spec.rules', (rule, field) => refs.each(rule.http?.paths, `${field}.http.paths`, (p, pathField) =>
      refs.add('', 'Service', p.backend?.service?.name, `${pathField}.backend.service.name`)));
    refs.each(spec.tls, 'spec.tls', (tls, field) => refs.add('', 'Secret', tls.secretName, `${field}.secretName`));
    issuerAnnotations(refs, manifest);
  },
  [`${GATEWAY_API}/Gateway`]: (refs, manifest, spec) => {
    refs.each(spec.listeners, 'spec.listeners', (listener, field) => refs.each(listener.tls?.certificateRefs, `${field}.tls.certificateRefs`,
      (ref, refField) => gatewayReference(refs, ref, refField, '', 'Secret')));
    issuerAnnotations(refs, manifest);
  },
  ...Object.fromEntries(ROUTE_KINDS.map((kind): [string, Reader] => [`${GATEWAY_API}/${kind}`, (refs, _, spec) => {
    refs.each(spec.parentRefs, 'spec.parentRefs', (ref, field) => gatewayReference(refs, ref, field, GATEWAY_API, 'Gateway'));
    refs.each(spec.rules, 'spec.rules', (rule, field) => {
      refs.each(rule.backendRefs, `${field}.backendRefs`, (ref, refField) => gatewayReference(refs, ref, refField, '', 'Service'));
      refs.each(rule.filters, `${field}.filters`, (filter, filterField) => {
        if (filter.requestMirror?.backendRef !== undefined) {
          gatewayReference(refs, filter.requestMirror.backendRef, `${filterField}.requestMirror.backendRef`, '', 'Service');
        }
      });
    });
  }])),
  // cert-manager: issuerRef defaults to an Issuer of cert-manager.io; other groups are external issuers, not checked.
  'cert-manager.io/Certificate': (refs, _, spec) => {
    const issuer = spec.issuerRef ?? {};
    if ((issuer.group ?? 'cert-manager.io') === 'cert-manager.io') {
      refs.add('cert-manager.io', issuer.kind ?? 'Issuer', issuer.name, 'spec.issuerRef.name');
    }
  },
  'cert-manager.io/Issuer': (refs, _, spec) => refs.add('', 'Secret', spec.ca?.secretName, 'spec.ca.secretName'),
  // external-secrets v2.9.0: the store of the ExternalSecret and of each data source; a Merge target must exist.
  'external-secrets.io/ExternalSecret': (refs, manifest, spec) => {
    storeReference(refs, spec.secretStoreRef, 'spec.secretStoreRef');
    refs.each(spec.data, 'spec.data', (data, field) => storeReference(refs, data.sourceRef?.storeRef, `${field}.sourceRef.storeRef`));
    refs.each(spec.dataFrom, 'spec.dataFrom', (data, field) => {
      storeReference(refs, data.sourceRef?.storeRef, `${field}.sourceRef.storeRef`);
      const generator = data.sourceRef?.generatorRef;
      if (generator !== undefined) {
        refs.add(groupOf(generator.apiVersion ?? 'generators.external-secrets.io/v1alpha1'), generator.kind ?? '', generator.name, `${field}.sourceRef.generatorRef.name`);
      }
    });
    if (spec.target?.creationPolicy === 'Merge') {
      refs.add('', 'Secret', spec.target.name ?? manifest.metadata?.name, 'spec.target.name');
    }
    refs.each(spec.target?.template?.templateFrom, 'spec.target.template.templateFrom', (from, field) => {
      refs.add('', 'ConfigMap', from.configMap?.name, `${field}.configMap.name`);
      refs.add('', 'Secret', from.secret?.name, `${field}.secret.name`);
    });
  },
  'rbac.authorization.k8s.io/RoleBinding': (refs, manifest) => refs.add('rbac.authorization.k8s.io', manifest.roleRef?.kind ?? '', manifest.roleRef?.name, 'roleRef.name'),
  'rbac.authorization.k8s.io/ClusterRoleBinding': (refs, manifest) => refs.add('rbac.authorization.k8s.io', 'ClusterRole', manifest.roleRef?.name, 'roleRef.name'),
  // plugin-barman-cloud v0.14.0 internal/cnpgi/operator/specs/secrets.go (CollectSecretNamesFromCredentials), and the endpoint's CA.
  'barmancloud.cnpg.io/ObjectStore': (refs, _, spec) => {
    const configuration = spec.configuration ?? {};
    const credentials: ReadonlyArray<readonly [string, readonly string[]]> = [
      ['s3Credentials', ['accessKeyId', 'secretAccessKey', 'region', 'sessionToken']],
      ['azureCredentials', ['connectionString', 'storageAccount', 'storageKey', 'storageSasToken']],
      ['googleCredentials', ['applicationCredentials']],
    ];
    for (const [provider, keys] of credentials) {
      for (const key of keys) {
        refs.add('', 'Secret', configuration[provider]?.[key]?.name, `spec.configuration.${provider}.${key}.name`);
      }
    }
    refs.add('', 'Secret', configuration.endpointCA?.name, 'spec.configuration.endpointCA.name');
  },
  'postgresql.cnpg.io/Cluster': (refs, _, spec) => cnpgCluster(refs, spec),
  'postgresql.cnpg.io/Pooler': (refs, _, spec) => {
    refs.add('postgresql.cnpg.io', 'Cluster', spec.cluster?.name, 'spec.cluster.name');
    for (const key of ['authQuerySecret', 'serverTLSSecret', 'serverCASecret', 'clientCASecret', 'clientTLSSecret']) {
      refs.add('', 'Secret', spec.pgbouncer?.[key]?.name, `spec.pgbouncer.${key}.name`);
    }
    refs.add('', 'ServiceAccount', spec.serviceAccountName, 'spec.serviceAccountName');
    if (spec.template?.spec !== undefined) {
      podReferences(refs, spec.template.spec, 'spec.template.spec');
    }
  },
  'postgresql.cnpg.io/ScheduledBackup': (refs, _, spec) => refs.add('postgresql.cnpg.io', 'Cluster', spec.cluster?.name, 'spec.cluster.name'),
  'postgresql.cnpg.io/Backup': (refs, _, spec) => refs.add('postgresql.cnpg.io', 'Cluster', spec.cluster?.name, 'spec.cluster.name'),
  [`${REDIS_GROUP}/Redis`]: (refs, _, spec) => redisPods(refs, spec),
  [`${REDIS_GROUP}/RedisReplication`]: (refs, _, spec) => {
    redisPods(refs, spec);
    // The embedded Sentinels (redisreplication_sentinel.go): an inline KubernetesConfig, a ServiceAccount, a ConfigMap.
    redisKubernetesConfig(refs, spec.sentinel, 'spec.sentinel');
    refs.add('', 'ServiceAccount', spec.sentinel?.serviceAccountName, 'spec.sentinel.serviceAccountName');
    refs.add('', 'ConfigMap', spec.sentinel?.additionalSentinelConfig, 'spec.sentinel.additionalSentinelConfig');
  },
  [`${REDIS_GROUP}/RedisSentinel`]: (refs, _, spec) => {
    redisPods(refs, spec);
    const config = spec.redisSentinelConfig ?? {};
    refs.add(REDIS_GROUP, 'RedisReplication', config.redisReplicationName, 'spec.redisSentinelConfig.redisReplicationName');
    refs.addSelector('Secret', config.redisReplicationPassword?.secretKeyRef, 'spec.redisSentinelConfig.redisReplicationPassword.secretKeyRef');
    refs.add('', 'ConfigMap', config.additionalSentinelConfig, 'spec.redisSentinelConfig.additionalSentinelConfig');
  },
};

/** Every name `object` reads: those of its pod, when it runs one, and those its kind's row of {@link READERS} lists. */
export function referencesOf(object: GuardrailObject): readonly Reference[] {
  const refs = new References(object.namespace);
  const manifest = object.manifest;
  if (object.pod !== undefined) {
    podReferences(refs, object.pod.spec, object.pod.specPath);
  }
  READERS[`${groupOf(manifest.apiVersion)}/${manifest.kind}`]?.(refs, manifest, manifest.spec ?? {});
  return refs.found;
}
