import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ClusterDns, Guardrails, HaRedis, HaRedisProps, ISecretProducer, Image, LogCollection, NamespaceBaseline, NetworkPeer, NodePool, Prerequisite, ProductionApp,
  Prometheus, RedisPassword, RedisPersistence, SpreadPolicy, TaintEffect, Tier, setTier,
} from '../../lib';
import { Manifest, ofKind, one, registryIn, synth, testChart } from '../util';

// Sources, Redis Operator (OT-CONTAINER-KIT) v0.26.0 unless said otherwise:
// - internal/k8sutils/statefulset.go: podSecurityContext to the pod, securityContext to the Redis or Sentinel container,
//   redisExporter.securityContext to the exporter, initContainer.securityContext to the init-config container of the
//   GenerateConfigInInitContainer gate (generateInitContainerDef); getProbeInfo fills a probe without handler with
//   `redis-cli ping` = PONG; storage.volumeMount (volumeMount of a RedisSentinel) mounts into the server and the exporter;
// - internal/k8sutils/redis-sentinel.go and common/redis/heal.go: a RedisSentinel's kubernetesConfig.redisSecret is its own
//   requirepass, redisReplicationPassword the master's auth-pass; pods labelled app=<name>-sentinel, role=sentinel;
// - internal/controller/common/labels.go: Redis pods labelled app=<name>, redis_setup_type and role;
// - internal/k8sutils/finalizer.go: claims deleted with the resource unless storage.keepAfterDelete;
// - internal/agent/bootstrap/redis/config.go: a claim template turns appendonly on; maxMemoryPercentOfLimit sets maxmemory.
// External Secrets v2.9.0: generators/v1/password (output key `password`), externalsecret_controller.go shouldRefresh
// (CreatedOnce generates once). celery v5.6.2 celery/app/utils.py: CELERY_BROKER_URL and CELERY_RESULT_BACKEND are read
// from the environment; celery/app/base.py _connection: broker_password when the URL has none.

/** A Secret the manifests produce, as a SecretsBinding in namespace `test` would. */
class ProducedSecret extends Construct implements ISecretProducer {
  public kept = false;
  public constructor(public readonly name: string, public readonly keys: readonly string[], public readonly namespace = 'test') {
    super(undefined as unknown as Construct, name);
  }
  public keepOnPrune(): void {
    this.kept = true;
  }
}

const KEEP = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' };
const PERSISTENT = RedisPersistence.appendOnly({ size: Size.gibibytes(5) });
const NODES = { app: 'cache', redis_setup_type: 'replication' };
const SENTINELS = { app: 'cache-sentinel', redis_setup_type: 'sentinel', role: 'sentinel' };
const OPERATOR = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ot-operators' } }, podSelector: { matchLabels: { name: 'redis-operator' } },
};
const PROMETHEUS_PODS = {
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
};
const DNS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};
const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' }));
const RESTRICTED = {
  runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
};

function cache(props: Partial<HaRedisProps> = {}): { chart: Chart; redis: HaRedis; manifests: () => Manifest[] } {
  const chart = testChart();
  const redis = new HaRedis(chart, 'Cache', { persistence: PERSISTENT, ...props });
  return { chart, redis, manifests: () => synth(chart) };
}

function app(chart: Chart, id = 'Api', name = 'api'): ProductionApp {
  return new ProductionApp(chart, id, { name, image: Image.pinned('acme/api', '1.0.0') });
}

/** The guardrail findings of a Redis in a chart of `tier` with its namespace baseline, as `<rule>: <object> <message>`. */
function guardrailFindings(props: Partial<HaRedisProps>, tier: Tier): string[] {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'test', disableResourceNameHashes: true });
  setTier(chart, tier);
  new NamespaceBaseline(chart, 'Namespace', {
    name: 'test', quota: { requestsCpu: Cpu.units(4), requestsMemory: Size.gibibytes(8), limitsCpu: Cpu.units(8), limitsMemory: Size.gibibytes(16) },
  });
  new HaRedis(chart, 'Cache', { persistence: PERSISTENT, ...props });
  const report = Guardrails.apply(app).evaluate();
  return [...report.errors, ...report.warnings].map((f) => `${f.rule.id}: ${f.object.title} ${f.message}`);
}

describe('HaRedis', () => {
  describe('replication', () => {
    test('runs three nodes watched by three Sentinels with a majority quorum, on the master group clients name', () => {
      const manifests = cache().manifests();
      expect(one(manifests, 'RedisReplication', 'cache').spec.clusterSize).toBe(3);
      const sentinel = one(manifests, 'RedisSentinel', 'cache').spec;
      expect(sentinel.clusterSize).toBe(3);
      // The CRD defaults masterGroupName to myMaster (common_types.go); the library names the group the embedded Sentinel hard-codes.
      expect(sentinel.redisSentinelConfig).toEqual({
        redisReplicationName: 'cache', masterGroupName: 'mymaster', quorum: '2', redisReplicationPassword: { secretKeyRef: { name: 'cache-password', key: 'password' } },
      });
      expect(one(manifests, 'RedisReplication', 'cache').spec.sentinel).toBeUndefined();
    });

    test('takes a majority of five Sentinels as quorum', () => {
      expect(one(cache({ nodes: 5, sentinels: 5 }).manifests(), 'RedisSentinel', 'cache').spec.redisSentinelConfig.quorum).toBe('3');
    });

    test('places nodes and Sentinels on distinct hosts (required) and spreads them over zones, on the node pool', () => {
      const pool = NodePool.of({ labels: { pool: 'data' }, taints: [{ key: 'dedicated', value: 'data', effect: TaintEffect.NO_SCHEDULE }] });
      const manifests = cache({ nodePool: pool, zoneSpread: SpreadPolicy.REQUIRED }).manifests();
      for (const [kind, labels] of [['RedisReplication', { ...NODES, role: 'replication' }], ['RedisSentinel', SENTINELS]] as const) {
        const spec = one(manifests, kind, 'cache').spec;
        expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution)
          .toEqual([{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } }]);
        expect(spec.topologySpreadConstraints).toEqual([
          { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels } },
        ]);
        expect(spec.nodeSelector).toEqual({ pool: 'data' });
        expect(spec.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'data', effect: 'NoSchedule' }]);
      }
    });

    test('has disruption budgets for the nodes and the Sentinels that never block a drain', () => {
      const manifests = cache().manifests();
      expect(ofKind(manifests, 'PodDisruptionBudget').map((p) => [p.metadata.name, p.spec])).toEqual([
        ['cache', { maxUnavailable: 1, selector: { matchLabels: { app: 'cache', role: 'replication' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' }],
        ['cache-sentinel', { maxUnavailable: 1, selector: { matchLabels: { app: 'cache-sentinel', role: 'sentinel' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' }],
      ]);
      expect(one(manifests, 'RedisReplication', 'cache').spec.pdb).toBeUndefined();
    });

    test('leaves app and role off the resources\' labels, which the operator copies onto pods and selectors over its own', () => {
      for (const resource of [...ofKind(cache().manifests(), 'RedisReplication'), ...ofKind(cache().manifests(), 'RedisSentinel')]) {
        expect(Object.keys(resource.metadata.labels).filter((key) => ['app', 'role', 'redis_setup_type', 'app.kubernetes.io/version'].includes(key))).toEqual([]);
      }
    });
  });

  describe('a single node (development)', () => {
    test('is a Redis without Sentinels or disruption budgets, reached at its own Service', () => {
      const { redis, manifests } = cache({ nodes: 1 });
      const all = manifests();
      expect(one(all, 'Redis', 'cache').spec.storage.keepAfterDelete).toBe(true);
      expect(ofKind(all, 'RedisReplication').concat(ofKind(all, 'RedisSentinel'), ofKind(all, 'PodDisruptionBudget'))).toEqual([]);
      expect(redis.host).toBe('cache.test.svc');
      expect(redis.sentinel).toBeUndefined();
      expect(one(all, 'NetworkPolicy', 'cache').spec.podSelector.matchLabels).toEqual({ app: 'cache', redis_setup_type: 'standalone' });
      expect(one(all, 'NetworkPolicy', 'cache').spec.ingress).toEqual([{ from: [PROMETHEUS_PODS], ports: tcp(9121) }]);
    });
  });

  describe('password', () => {
    test('is generated once in the cluster, letters and digits, into the Secret every Redis object reads', () => {
      const manifests = cache().manifests();
      expect(one(manifests, 'Password', 'cache-password').spec).toEqual({ length: 32, symbols: 0, noUpper: false, allowRepeat: true });
      expect(one(manifests, 'ExternalSecret', 'cache-password').spec).toEqual({
        refreshPolicy: 'CreatedOnce',
        target: { name: 'cache-password', creationPolicy: 'Owner' },
        dataFrom: [{ sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name: 'cache-password' } } }],
      });
      for (const kind of ['RedisReplication', 'RedisSentinel']) {
        expect(one(manifests, kind, 'cache').spec.kubernetesConfig.redisSecret).toEqual({ name: 'cache-password', key: 'password' });
      }
      expect(ofKind(manifests, 'Secret')).toEqual([]);
    });

    test('can come from a SecretsBinding of the stage\'s store, which is then kept with the data', () => {
      const secret = new ProducedSecret('redis-auth', ['token']);
      const manifests = cache({ password: RedisPassword.fromSecret(secret, 'token') }).manifests();
      expect(ofKind(manifests, 'Password')).toEqual([]);
      expect(one(manifests, 'RedisSentinel', 'cache').spec.redisSentinelConfig.redisReplicationPassword).toEqual({ secretKeyRef: { name: 'redis-auth', key: 'token' } });
      expect(secret.kept).toBe(true);
    });
  });

  describe('pods', () => {
    test('every container runs as Pod Security restricted admits it, with a read-only root filesystem', () => {
      const manifests = cache().manifests();
      for (const kind of ['RedisReplication', 'RedisSentinel']) {
        const spec = one(manifests, kind, 'cache').spec;
        expect(spec.podSecurityContext).toEqual({
          runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
        });
        expect([spec.securityContext, spec.redisExporter.securityContext, spec.initContainer.securityContext]).toEqual([RESTRICTED, RESTRICTED, RESTRICTED]);
        // The user init container stays off: its securityContext is only the way to the operator's init-config container.
        expect(spec.initContainer.enabled).toBe(false);
        expect(spec.hostPort).toBeUndefined();
      }
    });

    test('run as a ServiceAccount of their own without an API token', () => {
      const manifests = cache().manifests();
      expect(one(manifests, 'ServiceAccount', 'cache').automountServiceAccountToken).toBe(false);
      expect(['RedisReplication', 'RedisSentinel'].map((kind) => one(manifests, kind, 'cache').spec.serviceAccountName)).toEqual(['cache', 'cache']);
    });

    test('write only to /tmp, /var/run and their volume; without a volume, to an emptyDir /data as large as the memory limit', () => {
      const volumes = (spec: any) => spec.volume.map((v: any) => `${v.name}:${v.emptyDir.sizeLimit}`);
      const kept = one(cache().manifests(), 'RedisReplication', 'cache').spec.storage;
      expect(volumes(kept.volumeMount)).toEqual(['tmp:64Mi', 'run:1Mi']);
      expect(kept.volumeMount.mountPath).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'run', mountPath: '/var/run' }]);
      const memoryOnly = one(cache({ persistence: RedisPersistence.none() }).manifests(), 'RedisReplication', 'cache').spec.storage;
      expect(memoryOnly.volumeClaimTemplate).toBeUndefined();
      expect(volumes(memoryOnly.volumeMount)).toEqual(['tmp:64Mi', 'run:1Mi', 'data:256Mi']);
      expect(volumes(one(cache().manifests(), 'RedisSentinel', 'cache').spec.volumeMount)).toEqual(['tmp:64Mi', 'run:1Mi']);
    });

    test('have the Aileron guide\'s resources, an exporter, and maxmemory at 75% of the limit', () => {
      const spec = one(cache().manifests(), 'RedisReplication', 'cache').spec;
      expect(spec.kubernetesConfig.resources).toEqual({
        requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' }, limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
      });
      expect(spec.redisExporter).toMatchObject({ enabled: true, image: 'quay.io/opstree/redis-exporter:v1.44.0' });
      expect(spec.kubernetesConfig.image).toBe('quay.io/opstree/redis:v7.0.15');
      expect(one(cache().manifests(), 'RedisSentinel', 'cache').spec.kubernetesConfig.image).toBe('quay.io/opstree/redis-sentinel:v7.0.15');
      expect(spec.redisConfig).toEqual({ maxMemoryPercentOfLimit: 75 });
    });

    test('are ready when Redis answers PONG, and live while it loads its append-only file', () => {
      const spec = one(cache().manifests(), 'RedisReplication', 'cache').spec;
      expect(spec.readinessProbe).toEqual({ periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
      expect(spec.livenessProbe.exec.command[0]).toBe('sh');
      // The liveness script, run by a POSIX shell with a redis-cli that answers as Redis does.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-cli-'));
      const live = (reply: string) => {
        fs.writeFileSync(path.join(dir, 'redis-cli'), `#!/bin/sh\necho "${reply}"\n`, { mode: 0o755 });
        try {
          execFileSync(spec.livenessProbe.exec.command[0], spec.livenessProbe.exec.command.slice(1),
            { env: { PATH: `${dir}:/usr/bin:/bin`, REDIS_PORT: '6379', REDIS_PASSWORD: 'x' }, stdio: 'ignore' });
          return true;
        } catch {
          return false;
        }
      };
      expect([live('PONG'), live('LOADING Redis is loading the dataset in memory'), live('NOAUTH Authentication required.'), live('')])
        .toEqual([true, true, false, false]);
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('pull their images with the stage\'s registry credentials, kept with the data and applied before the Redis', () => {
      const chart = testChart();
      const registry = registryIn(chart);
      const redis = new HaRedis(chart, 'Cache', { persistence: PERSISTENT, imagePullSecrets: [registry] });
      const manifests = synth(chart);
      for (const kind of ['RedisReplication', 'RedisSentinel']) {
        expect(one(manifests, kind, 'cache').spec.kubernetesConfig.imagePullSecrets).toEqual([{ name: 'registry' }]);
      }
      expect(one(manifests, 'ExternalSecret', 'registry').metadata.annotations).toMatchObject(KEEP);
      expect(redis.node.dependencies).toContain(registry);
    });

    test('declare the stage\'s log collection for their plain text logs', () => {
      const titles = Prerequisite.declaredIn(cache({ logs: LogCollection.fluentBit({ destination: 'Loki at https://loki.example.com' }) }).chart)
        .map((d) => d.prerequisite.title);
      expect(titles).toContain('Fluent Bit: collects the containers\' standard output on every node and ships it to Loki at https://loki.example.com');
      // Plain text: no parser for JSON lines is asked of Fluent Bit.
      expect(titles.filter((t) => t.includes('K8S-Logging.Parser'))).toEqual([]);
    });
  });

  describe('data', () => {
    test('lives in the append-only file on a volume per node, kept when the resource is deleted or the manifests pruned', () => {
      const manifests = cache({ persistence: RedisPersistence.appendOnly({ size: Size.gibibytes(10), storageClassName: 'gp3-retain' }) }).manifests();
      const resource = one(manifests, 'RedisReplication', 'cache');
      expect(resource.spec.storage.keepAfterDelete).toBe(true);
      expect(resource.spec.storage.volumeClaimTemplate).toEqual({
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3-retain', resources: { requests: { storage: '10Gi' } } },
      });
      expect(resource.spec.kubernetesConfig.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
      // The operator copies the resource's annotations onto its StatefulSet and claim templates (statefulset.go createPVCTemplate).
      expect(resource.metadata.annotations).toEqual(KEEP);
      expect(['Password', 'ExternalSecret'].map((kind) => one(manifests, kind, 'cache-password').metadata.annotations)).toEqual([KEEP, KEEP]);
      expect(one(manifests, 'RedisSentinel', 'cache').metadata.annotations).toBeUndefined();
    });

    test('in memory only keeps nothing: nothing holds data', () => {
      const manifests = cache({ persistence: RedisPersistence.none() }).manifests();
      expect(manifests.filter((m) => m.metadata.annotations !== undefined)).toEqual([]);
    });
  });

  describe('network', () => {
    test('opens replication, the Sentinels, the operator, the scraper and DNS, and nothing else', () => {
      const manifests = cache().manifests();
      const nodes = one(manifests, 'NetworkPolicy', 'cache').spec;
      expect(nodes.podSelector).toEqual({ matchLabels: NODES });
      expect(nodes.ingress).toEqual([
        { from: [{ podSelector: { matchLabels: NODES } }], ports: tcp(6379) },
        { from: [OPERATOR], ports: tcp(6379) },
        { from: [{ podSelector: { matchLabels: SENTINELS } }], ports: tcp(6379) },
        { from: [PROMETHEUS_PODS], ports: tcp(9121) },
      ]);
      expect(nodes.egress).toEqual([DNS, { to: [{ podSelector: { matchLabels: NODES } }], ports: tcp(6379) }]);
      const sentinels = one(manifests, 'NetworkPolicy', 'cache-sentinel').spec;
      expect(sentinels.podSelector).toEqual({ matchLabels: SENTINELS });
      expect(sentinels.ingress).toEqual([
        { from: [{ podSelector: { matchLabels: SENTINELS } }], ports: tcp(26379) },
        { from: [OPERATOR], ports: tcp(26379) },
        { from: [PROMETHEUS_PODS], ports: tcp(9121) },
      ]);
      expect(sentinels.egress).toEqual([
        DNS, { to: [{ podSelector: { matchLabels: NODES } }], ports: tcp(6379) }, { to: [{ podSelector: { matchLabels: SENTINELS } }], ports: tcp(26379) },
      ]);
    });

    test('admits the operator where the given peer says, and resolves names through the stage\'s DNS', () => {
      const operator = NetworkPeer.podsInNamespaces({ 'app.kubernetes.io/name': 'redis-operator' }, { 'kubernetes.io/metadata.name': 'redis-system' });
      const manifests = cache({ operator, dns: ClusterDns.nodeLocalCacheRedirect() }).manifests();
      expect(one(manifests, 'NetworkPolicy', 'cache').spec.ingress[1].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'redis-system' });
      expect(one(manifests, 'NetworkPolicy', 'cache').spec.egress[0].to).toContainEqual(expect.objectContaining({ podSelector: { matchLabels: { 'k8s-app': 'node-local-dns' } } }));
    });
  });

  describe('connectTo', () => {
    test('gives the app its settings without a credential, and the password as a read-only owner-only file', () => {
      const { chart, redis } = cache();
      const api = app(chart);
      api.connectTo(redis);
      const pod = one(synth(chart), 'Deployment', 'api').spec.template.spec;
      expect(pod.containers[0].env).toEqual([
        { name: 'REDIS_HOST', value: 'cache-master.test.svc' },
        { name: 'REDIS_PORT', value: '6379' },
        { name: 'REDIS_TLS', value: 'false' },
        { name: 'REDIS_URL', value: 'redis://cache-master.test.svc:6379/0' },
        { name: 'REDIS_PASSWORD_FILE', value: '/var/run/secrets/redis/cache/password' },
        { name: 'REDIS_SENTINEL_HOSTS', value: 'cache-sentinel.test.svc:26379' },
        { name: 'REDIS_SENTINEL_MASTER', value: 'mymaster' },
      ]);
      expect(pod.volumes).toContainEqual({ name: 'cache-password', secret: { secretName: 'cache-password', defaultMode: 0o400, items: [{ key: 'password', path: 'password' }] } });
      expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'cache-password', mountPath: '/var/run/secrets/redis/cache', readOnly: true });
    });

    test('gives a Celery app its broker and result URLs through the Sentinels, in two databases, without the password', () => {
      const { chart, redis } = cache();
      app(chart).connectTo(redis.celery({ brokerDatabase: 2, resultDatabase: 3 }));
      const env = one(synth(chart), 'Deployment', 'api').spec.template.spec.containers[0].env;
      expect(env.filter((e: any) => e.name.startsWith('CELERY_'))).toEqual([
        { name: 'CELERY_BROKER_URL', value: 'sentinel://cache-sentinel.test.svc:26379/2' },
        { name: 'CELERY_RESULT_BACKEND', value: 'sentinel://cache-sentinel.test.svc:26379/3' },
      ]);
    });

    test('gives a Celery app of a single node redis:// URLs in databases 0 and 1', () => {
      const { chart, redis } = cache({ nodes: 1 });
      app(chart).connectTo(redis.celery());
      const env = one(synth(chart), 'Deployment', 'api').spec.template.spec.containers[0].env;
      expect(env.filter((e: any) => e.name.startsWith('CELERY_') || e.name.startsWith('REDIS_SENTINEL'))).toEqual([
        { name: 'CELERY_BROKER_URL', value: 'redis://cache.test.svc:6379/0' },
        { name: 'CELERY_RESULT_BACKEND', value: 'redis://cache.test.svc:6379/1' },
      ]);
    });

    test('opens exactly app pods to Redis pods on 6379 and to Sentinel pods on 26379, on both sides', () => {
      const { chart, redis } = cache();
      app(chart).connectTo(redis);
      const manifests = synth(chart);
      const apiPods = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' } } };
      expect(one(manifests, 'NetworkPolicy', 'cache').spec.ingress).toContainEqual({ from: [apiPods], ports: tcp(6379) });
      expect(one(manifests, 'NetworkPolicy', 'cache-sentinel').spec.ingress).toContainEqual({ from: [apiPods], ports: tcp(26379) });
      expect(one(manifests, 'NetworkPolicy', 'api').spec.egress).toEqual(expect.arrayContaining([
        { to: [{ podSelector: { matchLabels: NODES } }], ports: tcp(6379) },
        { to: [{ podSelector: { matchLabels: SENTINELS } }], ports: tcp(26379) },
      ]));
    });

    test('fails when the app is in another namespace than the Redis', () => {
      const { chart, redis } = cache();
      const other = new ProductionApp(chart, 'Other', { name: 'other', namespace: 'other', image: Image.pinned('acme/api', '1.0.0') });
      expect(() => other.connectTo(redis)).toThrow(/\[test\/Other\] 'connectTo' \('test\/Cache'\) must be in the namespace of the Redis 'test': the password Secret is namespaced/);
    });

    test('fails when an app connects twice: its settings have one source', () => {
      const { chart, redis } = cache();
      const api = app(chart);
      api.connectTo(redis);
      expect(() => api.connectTo(redis.celery())).toThrow(/REDIS_HOST/);
    });

    test.each<[string, object, RegExp]>([
      ['the broker database is not one of Redis\'s 16', { brokerDatabase: 16 }, /'celery.brokerDatabase' \(16\) must be an integer between 0 and 15/],
      ['the result database is negative', { resultDatabase: -1 }, /'celery.resultDatabase' \(-1\) must be an integer between 0 and 15/],
      ['the broker database is a string', { brokerDatabase: '0' }, /'celery.brokerDatabase' \('0'\) must be a number/],
      ['results share the queue\'s database', { brokerDatabase: 4, resultDatabase: 4 },
        /'celery.resultDatabase' \(4\) must differ from the broker's database: Celery would read its results among the queued tasks/],
    ])('celery() fails when %s', (_, options, message) => {
      expect(() => cache().redis.celery(options)).toThrow(message);
    });
  });

  describe('monitoring', () => {
    test('scrapes the operator\'s metrics Services of the nodes and Sentinels, once each pod', () => {
      const monitor = one(cache().manifests(), 'ServiceMonitor', 'cache');
      expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
      expect(monitor.spec).toEqual({
        selector: { matchLabels: { 'app.kubernetes.io/component': 'metrics' }, matchExpressions: [{ key: 'app', operator: 'In', values: ['cache', 'cache-sentinel'] }] },
        namespaceSelector: { matchNames: ['test'] },
        endpoints: [{ port: 'redis-exporter', interval: '30s', scheme: 'http' }],
      });
    });

    test('alerts on a lost node or master, broken replication, memory near maxmemory, rejected connections and lost Sentinels', () => {
      const rules = one(cache().manifests(), 'PrometheusRule', 'cache').spec.groups[0].rules;
      expect(rules.map((r: any) => `${r.alert} ${r.labels.severity}`)).toEqual([
        'RedisDown warning', 'RedisMemoryNearLimit warning', 'RedisRejectingConnections warning', 'RedisMasterMissing critical',
        'RedisReplicationBroken warning', 'RedisReplicasMissing warning', 'RedisSentinelDown warning', 'RedisFailoverImpossible critical',
      ]);
      expect(rules.every((r: any) => r.labels.namespace === 'test' && r.labels.redis === 'cache' && r.expr.includes('namespace="test"'))).toBe(true);
      const expr = (alert: string) => rules.find((r: any) => r.alert === alert).expr;
      expect(expr('RedisDown')).toBe('(count(redis_up{namespace="test", pod=~"cache-[0-9]+"} == 1) or vector(0)) < 3');
      expect(expr('RedisReplicasMissing')).toMatch(/< 2$/);
      expect(expr('RedisFailoverImpossible')).toBe('(count(redis_up{namespace="test", pod=~"cache-sentinel-[0-9]+"} == 1) or vector(0)) < 2');
      expect(expr('RedisMemoryNearLimit')).toMatch(/> 90$/);
    });

    test('a single node being down is critical, and has no replication or Sentinel alerts', () => {
      const rules = one(cache({ nodes: 1 }).manifests(), 'PrometheusRule', 'cache').spec.groups[0].rules;
      expect(rules.map((r: any) => `${r.alert} ${r.labels.severity}`)).toEqual(['RedisDown critical', 'RedisMemoryNearLimit warning', 'RedisRejectingConnections warning']);
    });

    test('follows the stage\'s Prometheus, interval, threshold and runbooks', () => {
      const manifests = cache({ monitoring: {
        prometheus: Prometheus.kubePrometheusStack({ release: 'observability', namespace: 'observability' }),
        interval: Duration.seconds(15), memoryUsagePercent: 80, runbookBaseUrl: 'https://runbooks.example.com/redis/',
      } }).manifests();
      expect(one(manifests, 'ServiceMonitor', 'cache').spec.endpoints[0].interval).toBe('15s');
      const rule = one(manifests, 'PrometheusRule', 'cache');
      expect(rule.metadata.labels.release).toBe('observability');
      expect(rule.spec.groups[0].rules[1]).toMatchObject({ expr: expect.stringMatching(/> 80$/), annotations: { runbook_url: 'https://runbooks.example.com/redis/redismemorynearlimit' } });
      expect(one(manifests, 'NetworkPolicy', 'cache').spec.ingress).toContainEqual({
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: tcp(9121),
      });
    });

    test('can be turned off, which also removes the exporters and closes the scraper\'s path', () => {
      const manifests = cache({ monitoring: { enabled: false } }).manifests();
      expect(ofKind(manifests, 'ServiceMonitor').concat(ofKind(manifests, 'PrometheusRule'))).toEqual([]);
      expect(one(manifests, 'RedisReplication', 'cache').spec.redisExporter).toBeUndefined();
      expect(JSON.stringify(ofKind(manifests, 'NetworkPolicy'))).not.toContain('9121');
    });
  });

  describe('what the cluster must provide', () => {
    test('the operator with its feature gate, the External Secrets generator, the StorageClass and the operator\'s pods', () => {
      const { chart } = cache({ persistence: RedisPersistence.appendOnly({ size: Size.gibibytes(5), storageClassName: 'gp3-retain' }) });
      const titles = Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title);
      expect(titles).toEqual(expect.arrayContaining([
        'Redis Operator (OT-CONTAINER-KIT) 0.26',
        'External Secrets Operator 2.9',
        'External Secrets Operator generators 2.9',
        'StorageClass gp3-retain',
        'the Redis Operator runs as pods with name=redis-operator in the namespaces with kubernetes.io/metadata.name=ot-operators',
      ]));
      expect(titles).toContainEqual(expect.stringMatching(/^Redis Operator: feature gate GenerateConfigInInitContainer=true/));
    });

    test('no StorageClass in memory only, and no generator for a password from a SecretsBinding', () => {
      const { chart } = cache({ persistence: RedisPersistence.none(), password: RedisPassword.fromSecret(new ProducedSecret('auth', ['password'])) });
      const titles = Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title);
      expect(titles.filter((t) => t.startsWith('StorageClass') || t.startsWith('External Secrets'))).toEqual([]);
    });

    test('nothing about where the operator runs for a single node, which admits no connection from it', () => {
      const titles = Prerequisite.declaredIn(cache({ nodes: 1 }).chart).map((d) => d.prerequisite.title);
      expect(titles.filter((t) => t.startsWith('the Redis Operator runs as'))).toEqual([]);
      expect(titles).toContain('Redis Operator (OT-CONTAINER-KIT) 0.26');
    });
  });

  test('matches the snapshot with minimal props (development)', () => {
    expect(cache({ nodes: 1, persistence: RedisPersistence.appendOnly({ size: Size.gibibytes(1) }) }).manifests()).toMatchSnapshot();
  });

  test('matches the snapshot with all props (production)', () => {
    const chart = testChart();
    const props: Required<HaRedisProps> = {
      persistence: RedisPersistence.appendOnly({ size: Size.gibibytes(10), storageClassName: 'gp3-retain' }),
      name: 'queue',
      namespace: 'orders',
      partOf: 'orders',
      nodes: 5,
      sentinels: 5,
      password: RedisPassword.generated({ length: 48 }),
      image: Image.pinned('quay.io/opstree/redis', 'v7.0.15'),
      sentinelImage: Image.pinned('quay.io/opstree/redis-sentinel', 'v7.0.15'),
      exporterImage: Image.pinned('quay.io/opstree/redis-exporter', 'v1.44.0'),
      resources: { cpu: { request: Cpu.millis(250), limit: Cpu.units(1) }, memory: { request: Size.mebibytes(512), limit: Size.gibibytes(1) },
        ephemeralStorage: { request: Size.mebibytes(128), limit: Size.mebibytes(512) } },
      sentinelResources: { cpu: { request: Cpu.millis(50), limit: Cpu.millis(100) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(64) },
        ephemeralStorage: { request: Size.mebibytes(32), limit: Size.mebibytes(64) } },
      exporterResources: { cpu: { request: Cpu.millis(25), limit: Cpu.millis(50) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(32) },
        ephemeralStorage: { request: Size.mebibytes(16), limit: Size.mebibytes(32) } },
      maxMemoryPercent: 70,
      monitoring: { enabled: true, prometheus: Prometheus.kubePrometheusStack({ release: 'observability', namespace: 'observability' }),
        interval: Duration.seconds(15), memoryUsagePercent: 85, runbookBaseUrl: 'https://runbooks.example.com/orders' },
      dns: ClusterDns.nodeLocalCacheRedirect(),
      operator: NetworkPeer.podsInNamespaces({ name: 'redis-operator' }, { 'kubernetes.io/metadata.name': 'redis-operator' }),
      nodePool: NodePool.of({ labels: { pool: 'data' } }),
      zoneSpread: SpreadPolicy.REQUIRED,
      imagePullSecrets: [registryIn(chart, 'Registry', { namespace: 'orders' })],
      logs: LogCollection.fluentBit({ destination: 'Loki at https://loki.example.com' }),
    };
    new HaRedis(chart, 'Queue', props);
    expect(synth(chart)).toMatchSnapshot();
  });

  describe('in production, the guardrails', () => {
    // The construct takes what the stage config gives it; the guardrails refuse what production cannot run.
    const cases: Array<[string, Partial<HaRedisProps>, string]> = [
      ['there are fewer than 3 nodes', { nodes: 2, sentinels: 3 }, 'redis-ha: RedisReplication test/cache runs 2 nodes'],
      ['there is a single node', { nodes: 1 }, 'redis-ha: Redis test/cache runs a single standalone node: nothing takes over when it goes'],
      ['one Sentinel watches the nodes', { sentinels: 1 }, 'redis-failover: RedisReplication test/cache is watched by 1 Sentinel (RedisSentinel cache): losing one leaves no majority'],
      ['the data lives in memory only', { persistence: RedisPersistence.none() },
        'redis-persistence: RedisReplication test/cache keeps its data in memory only: no spec.storage.volumeClaimTemplate, so no append-only file'],
    ];

    test.each(cases)('fail when %s', (_, overrides, finding) => {
      expect(guardrailFindings(overrides, Tier.PRODUCTION)).toContain(finding);
    });

    test('accept the defaults: three nodes, three Sentinels, a generated password, the append-only file on volumes', () => {
      expect(guardrailFindings({}, Tier.PRODUCTION)).toEqual([]);
    });

    test('accept a single node in memory only in development', () => {
      expect(guardrailFindings({ nodes: 1, persistence: RedisPersistence.none() }, Tier.DEVELOPMENT)).toEqual([]);
    });
  });

  describe('validation', () => {
    const tiny = { cpu: { request: Cpu.millis(500), limit: Cpu.millis(100) }, memory: { request: Size.mebibytes(64), limit: Size.mebibytes(64) },
      ephemeralStorage: { request: Size.mebibytes(16), limit: Size.mebibytes(16) } };
    const cases: Array<[string, Partial<HaRedisProps>, RegExp]> = [
      ['the name is not a DNS label', { name: 'Orders_Cache' }, /'name' \('Orders_Cache'\) must be a DNS label of at most 43 characters/],
      ['the name leaves no room for the operator\'s suffixes', { name: 'a'.repeat(44) }, /'name' \('a{44}'\) must be a DNS label of at most 43/],
      ['the part-of label is invalid', { partOf: 'not valid!' }, /'partOf.app.kubernetes.io\/part-of' \('not valid!'\) is not a valid label value/],
      ['the image floats', { image: Image.pinned('quay.io/opstree/redis', 'latest') }, /'image' \('quay.io\/opstree\/redis:latest'\) must be pinned/],
      ['the Sentinel image floats', { sentinelImage: Image.pinned('quay.io/opstree/redis-sentinel', 'latest') }, /'sentinelImage' \('quay.io\/opstree\/redis-sentinel:latest'\) must be pinned/],
      ['the exporter image floats', { exporterImage: Image.pinned('quay.io/opstree/redis-exporter', 'latest') }, /'exporterImage' \('quay.io\/opstree\/redis-exporter:latest'\) must be pinned/],
      ['there are no nodes', { nodes: 0 }, /'nodes' \(0\) must be an integer of at least 1/],
      ['a single node has Sentinels', { nodes: 1, sentinels: 3 }, /'sentinels' \(3\) must be unset with a single node: Sentinels watch a replication of two or more nodes/],
      ['a replication has no Sentinel', { sentinels: 0 }, /'sentinels' \(0\) must be an integer of at least 1/],
      ['the Sentinels are even', { sentinels: 4 }, /'sentinels' \(4\) must be odd: a majority of an even number survives no more losses than one Sentinel fewer/],
      ['a request exceeds its limit', { resources: tiny }, /'resources.cpu.request' \('500m'\) must not exceed the limit \(100m\)/],
      ['a Sentinel request exceeds its limit', { sentinelResources: tiny }, /'sentinelResources.cpu.request' \('500m'\) must not exceed the limit/],
      ['an exporter request exceeds its limit', { exporterResources: tiny }, /'exporterResources.cpu.request' \('500m'\) must not exceed the limit/],
      ['maxmemory leaves no room', { maxMemoryPercent: 99 }, /'maxMemoryPercent' \(99\) must be an integer between 10 and 95/],
      ['the volume is tiny', { persistence: RedisPersistence.appendOnly({ size: Size.mebibytes(512) }) }, /'persistence.size' \('512Mi'\) must be at least 1Gi/],
      ['the StorageClass is no name', { persistence: RedisPersistence.appendOnly({ size: Size.gibibytes(5), storageClassName: 'GP3!' }) },
        /'persistence.storageClassName' \('GP3!'\)/],
      ['a generated password is short', { password: RedisPassword.generated({ length: 8 }) }, /'password.length' \(8\) must be an integer between 16 and 128/],
      ['the password Secret is in another namespace', { password: RedisPassword.fromSecret(new ProducedSecret('auth', ['password'], 'other')) },
        /'password.secret' \('auth'\) must produce its Secret in namespace 'test', not 'other'/],
      ['the password key is missing', { password: RedisPassword.fromSecret(new ProducedSecret('auth', ['token'])) },
        /'password.key' \('password'\) is not a key of Secret 'auth' \(token\)/],
      ['the password key is no key', { password: RedisPassword.fromSecret(new ProducedSecret('auth', ['password']), 'a/b') }, /'password.key' \('a\/b'\) must be a Secret key/],
      ['the registry credentials are a plain object', { imagePullSecrets: [{ name: 'registry' } as any] },
        /'imagePullSecrets\[0\]' \(\{"name":"registry"\}\) must be registry credentials \(IRegistryCredentials: a RegistryCredentials\)/],
      ['the persistence is a plain object', { persistence: { volume: { size: Size.gibibytes(5) } } as any },
        /'persistence' .* must be a RedisPersistence \(RedisPersistence.appendOnly or RedisPersistence.none\)/],
      ['the volume size is a string', { persistence: RedisPersistence.appendOnly({ size: '5Gi' as any }) }, /'persistence.size' \('5Gi'\) must be a Size/],
      ['the nodes are a string', { nodes: '3' as any }, /'nodes' \('3'\) must be a number/],
      ['the operator is a string', { operator: 'ot-operators' as any }, /'operator' \('ot-operators'\) must be a NetworkPeer/],
      ['the operator\'s namespace is no name', { operator: NetworkPeer.podsInNamespaces({ name: 'redis-operator' }, { 'kubernetes.io/metadata.name': 'OT_Operators' }) },
        /'operator.namespace' \('OT_Operators'\) must be a DNS-1123 label/],
      ['the node pool has no label', { nodePool: NodePool.of({ labels: {} }) }, /'nodePool.labels' \(\{\}\) must/],
      ['the log collection names no destination', { logs: LogCollection.collector({ name: 'Vector', destination: ' ' }) }, /'logs.destination' \(' '\) must not be empty: it is where the logs go/],
      ['the generated password length is a string', { password: RedisPassword.generated({ length: '32' as any }) }, /'password.length' \('32'\) must be a number/],
      ['the memory alert threshold is 100', { monitoring: { memoryUsagePercent: 100 } }, /'monitoring.memoryUsagePercent' \(100\) must be an integer between 1 and 99/],
      ['the runbook base URL is relative', { monitoring: { runbookBaseUrl: 'runbooks/redis' } }, /'monitoring.runbookBaseUrl' \('runbooks\/redis'\) must be an absolute http or https URL/],
      ['the Prometheus labels are invalid', { monitoring: { prometheus: Prometheus.of({ selectorLabels: { 'bad key!': 'x' }, scraper: NetworkPeer.namespace('monitoring'), selection: 'x' }) } },
        /'monitoring.prometheus.selectorLabels/],
      ['the scrape interval is under a second', { monitoring: { interval: Duration.millis(500) } }, /'monitoring.interval' \(0.5\) must be an integer of at least 1/],
    ];

    test.each(cases)('fails when %s', (_, overrides, message) => {
      expect(() => cache(overrides)).toThrow(message);
    });

    test('fails when the chart has no namespace', () => {
      const chart = new Chart(Testing.app(), 'nons');
      expect(() => new HaRedis(chart, 'Cache', { persistence: PERSISTENT })).toThrow(/'namespace' \(unset\) must be set on the HaRedis or its Chart/);
    });

    test('names the construct path in every error', () => {
      expect(() => cache({ nodes: 0 })).toThrow(/^\[test\/Cache\] /);
    });
  });
});

