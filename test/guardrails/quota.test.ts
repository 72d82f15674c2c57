import { ApiObject, Chart, Testing } from 'cdk8s';
import { Guardrails, Prerequisite, Tier, setTier } from '../../lib';
import { formatBytes, formatCores, parseQuantity } from '../../lib/guardrails/quantity';

// Sources: Kubernetes pkg/quota/v1/evaluator/core/pods.go (what the quota counts and the six resources every
// container must state), staging/src/k8s.io/component-helpers/resource/helpers.go (PodRequests, PodLimits: native
// sidecars add to the app containers, an init container counts with the sidecars started before it),
// pkg/controller/deployment/util/deployment_util.go (ResolveFenceposts: maxSurge rounds up, 25 % by default);
// cloudnative-pg v1.30.0 pkg/specs/pods.go, jobs.go, pgbouncer/deployments.go; plugin-barman-cloud v0.14.0
// lifecycle.go (the sidecar's resources from the ObjectStore); cert-manager v1.21.1 defaults.go (solver 10m/64Mi, 100m/64Mi).

type Manifest = Record<string, any>;

const SPARE = 'at full scale, less than 10% to spare:';
const quota = (hard: Record<string, string | number>, spec: Manifest = {}) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota' }, spec: { hard, ...spec } });
const resources = (cpu: string, memory = '64Mi', extra: Manifest = {}) => ({ requests: { cpu, memory }, limits: { cpu, memory }, ...extra });
const container = (name: string, res: Manifest = resources('100m')) => ({ name, image: 'example/app:1.0.0', resources: res });
const podSpec = (containers: Manifest[], initContainers: Manifest[] = []): Manifest => ({ containers, ...initContainers.length > 0 ? { initContainers } : {} });
const deployment = (name: string, spec: Manifest, pod = podSpec([container('app')])) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { selector: {}, template: { spec: pod }, ...spec },
});
const limitRange = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults' }, spec: { limits: [{
  type: 'Container', default: { cpu: '500m', memory: '256Mi', 'ephemeral-storage': '1Gi' }, defaultRequest: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '128Mi' },
}] } };

/** The quota-headroom messages for `objects` in namespace `test`. */
function messages(objects: Manifest[], tier = Tier.PRODUCTION, prerequisites: Prerequisite[] = []): string[] {
  const app = Testing.app();
  const chart = new Chart(app, 'quota', { namespace: 'test' });
  setTier(chart, tier);
  objects.forEach((o, i) => new ApiObject(chart, `O${i}`, o as any));
  Prerequisite.declare(chart, ...prerequisites);
  return Guardrails.apply(app).evaluate().findings.filter((f) => f.rule.id === 'quota-headroom').map((f) => `${f.level}: ${f.message}`);
}

describe('quota-headroom: workloads at full scale', () => {
  test('counts a Deployment\'s replicas and its surge, an integer', () => {
    expect(messages([quota({ pods: 4 }), deployment('api', { replicas: 3, strategy: { rollingUpdate: { maxSurge: 1 } } })]))
      .toEqual([`error: pods: 4 of 4 (100.0%) ${SPARE} Deployment api 3 + 1 surge`]);
  });

  test.each([
    [undefined, 10, 13], // 25 % of 10 is 2.5, rounded up
    ['10%', 10, 11],
    ['50%', 3, 5],
    [0, 3, 3],
  ])('rounds a maxSurge of %p of %p replicas up to %p pods', (maxSurge, replicas, pods) => {
    const strategy = maxSurge === undefined ? undefined : { rollingUpdate: { maxSurge } };
    expect(messages([quota({ pods }), deployment('api', { replicas, strategy })])[0]).toMatch(new RegExp(`^error: pods: ${pods} of ${pods} `));
  });

  test('counts no surge for Recreate, and one replica without spec.replicas', () => {
    expect(messages([quota({ pods: 1 }), deployment('api', { strategy: { type: 'Recreate' } })]))
      .toEqual([`error: pods: 1 of 1 (100.0%) ${SPARE} Deployment api 1`]);
  });

  test('counts the autoscaler\'s maximum, not the replicas', () => {
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 8 } };
    expect(messages([quota({ pods: 9 }), deployment('api', { replicas: 2, strategy: { rollingUpdate: { maxSurge: 1 } } }), hpa]))
      .toEqual([`error: pods: 9 of 9 (100.0%) ${SPARE} Deployment api 8 at the autoscaler's maximum + 1 surge`]);
  });

  test('fails above 90 % and passes at 90 %', () => {
    const hpa = (max: number) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: max } });
    const api = deployment('api', { replicas: 2, strategy: { rollingUpdate: { maxSurge: 1 } } });
    expect(messages([quota({ 'limits.cpu': '1' }), api, hpa(8)])).toEqual([]);
    expect(messages([quota({ 'limits.cpu': '1' }), api, hpa(9)]))
      .toEqual([`error: limits.cpu: 1 of 1 (100.0%) ${SPARE} Deployment api (9 at the autoscaler's maximum + 1 surge) x 0.1`]);
  });

  test('counts a StatefulSet without surge, and its claims with their storage', () => {
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'cache' }, spec: {
      replicas: 3, selector: {}, serviceName: 'cache', template: { spec: podSpec([container('redis')]) },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '10Gi' } } } }],
    } };
    expect(messages([quota({ pods: 3, persistentvolumeclaims: 3, 'requests.storage': '30Gi' }), sts])).toEqual([
      `error: pods: 3 of 3 (100.0%) ${SPARE} StatefulSet cache 3`,
      `error: persistentvolumeclaims: 3 of 3 (100.0%) ${SPARE} StatefulSet cache 3 x 1 claim template`,
      `error: requests.storage: 30Gi of 30Gi (100.0%) ${SPARE} StatefulSet cache 3 x 1 claim template: 30Gi`,
    ]);
  });

  test('counts one run of a Job: its parallelism, at most its completions', () => {
    const job = (spec: Manifest) => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, spec: { template: { spec: podSpec([container('m')]) }, ...spec } });
    expect(messages([quota({ pods: 1 }), job({})])).toEqual([`error: pods: 1 of 1 (100.0%) ${SPARE} Job migrate 1 (one run)`]);
    expect(messages([quota({ pods: 2 }), job({ parallelism: 4, completions: 2 })])).toEqual([`error: pods: 2 of 2 (100.0%) ${SPARE} Job migrate 2 (one run)`]);
  });

  test.each([
    ['Forbid', 1], ['Replace', 1], ['Allow', 2], [undefined, 2],
  ])('counts a CronJob with concurrencyPolicy %p as %p runs', (policy, runs) => {
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' },
      spec: { schedule: '@daily', concurrencyPolicy: policy, jobTemplate: { spec: { template: { spec: podSpec([container('n')]) } } } } };
    expect(messages([quota({ pods: runs }), cron]))
      .toEqual([`error: pods: ${runs} of ${runs} (100.0%) ${SPARE} CronJob nightly ${runs} run${runs === 1 ? '' : 's'} (concurrencyPolicy ${policy ?? 'Allow'})`]);
  });

  test('counts the replicas of a ReplicaSet and a ReplicationController', () => {
    const replicated = (apiVersion: string, kind: string) => ({ apiVersion, kind, metadata: { name: kind.toLowerCase() },
      spec: { replicas: 2, selector: {}, template: { spec: podSpec([container('app')]) } } });
    expect(messages([quota({ pods: 4 }), replicated('apps/v1', 'ReplicaSet'), replicated('v1', 'ReplicationController')]))
      .toEqual([`error: pods: 4 of 4 (100.0%) ${SPARE} ReplicaSet replicaset 2, ReplicationController replicationcontroller 2`]);
  });

  test('counts a claim of the app with its storage', () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { resources: { requests: { storage: '5Gi' } } } };
    expect(messages([quota({ persistentvolumeclaims: 1, 'requests.storage': '5Gi' }), pvc])).toEqual([
      `error: persistentvolumeclaims: 1 of 1 (100.0%) ${SPARE} PersistentVolumeClaim data 1`,
      `error: requests.storage: 5Gi of 5Gi (100.0%) ${SPARE} PersistentVolumeClaim data 1: 5Gi`,
    ]);
  });
});

describe('quota-headroom: what a pod counts for', () => {
  const one = (pod: Manifest) => deployment('api', { replicas: 1, strategy: { type: 'Recreate' } }, pod);

  test('gives a container without values the LimitRange\'s defaults, and a request without value its limit', () => {
    const pod = podSpec([container('a', {}), container('b', { limits: { cpu: '2', memory: '1Gi' } })]);
    expect(messages([quota({ 'requests.cpu': '2.1', 'limits.cpu': '2.5', 'requests.ephemeral-storage': '128Mi' }), limitRange, one(pod)])).toEqual([
      `error: requests.cpu: 2.1 of 2.1 (100.0%) ${SPARE} Deployment api 1 x 2.1`,
      `error: limits.cpu: 2.5 of 2.5 (100.0%) ${SPARE} Deployment api 1 x 2.5`,
      `error: requests.ephemeral-storage: 256Mi of 128Mi (200.0%) ${SPARE} Deployment api 1 x 256Mi`,
    ]);
  });

  test('adds a native sidecar to the app containers', () => {
    const pod = podSpec([container('app', resources('1'))], [{ ...container('proxy', resources('500m')), restartPolicy: 'Always' }]);
    expect(messages([quota({ 'limits.cpu': '1.5' }), one(pod)])).toEqual([`error: limits.cpu: 1.5 of 1.5 (100.0%) ${SPARE} Deployment api 1 x 1.5`]);
  });

  test('counts an init container when it needs more than the app, with the sidecars started before it', () => {
    const pod = podSpec([container('app', resources('1'))], [
      { ...container('proxy', resources('500m')), restartPolicy: 'Always' },
      container('migrate', resources('2')),
      container('warm', resources('1')),
    ]);
    expect(messages([quota({ 'limits.cpu': '2.5' }), one(pod)])).toEqual([`error: limits.cpu: 2.5 of 2.5 (100.0%) ${SPARE} Deployment api 1 x 2.5`]);
  });

  test('an init container that needs less than the app adds nothing', () => {
    const pod = podSpec([container('app', resources('1'))], [container('init', resources('500m'))]);
    expect(messages([quota({ 'limits.cpu': '1' }), one(pod)])).toEqual([`error: limits.cpu: 1 of 1 (100.0%) ${SPARE} Deployment api 1 x 1`]);
  });

  test('fails a container that states no cpu or memory when no LimitRange gives one: the quota refuses the pod', () => {
    expect(messages([quota({ 'requests.cpu': '10', memory: '10Gi', pods: 10 }), one(podSpec([container('bare', {})]))])).toEqual([
      'error: container \'bare\' of Deployment test/api states no requests.cpu, requests.memory and no LimitRange of the namespace gives one: the quota refuses its pods',
    ]);
  });

  test('asks for no value the quota does not track', () => {
    expect(messages([quota({ pods: 10, 'requests.ephemeral-storage': '10Gi' }), one(podSpec([container('bare', {})]))])).toEqual([]);
  });
});

describe('quota-headroom: what operators run', () => {
  const objectStore = { apiVersion: 'barmancloud.cnpg.io/v1', kind: 'ObjectStore', metadata: { name: 'backups' },
    spec: { configuration: { destinationPath: 's3://b' }, instanceSidecarConfiguration: { resources: resources('1', '512Mi') } } };
  const cluster = (spec: Manifest = {}) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db' }, spec: {
    instances: 3, resources: resources('2', '4Gi'), storage: { size: '50Gi' }, walStorage: { size: '10Gi' },
    plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'backups' } }], ...spec,
  } });

  test('counts a Cluster\'s instances with the Barman Cloud sidecar of its ObjectStore, one initdb or join job, and its claims', () => {
    expect(messages([quota({ 'limits.cpu': '11', 'limits.memory': '17.5Gi', pods: 4, persistentvolumeclaims: 6, 'requests.storage': '180Gi' }), objectStore, cluster()])).toEqual([
      `error: limits.cpu: 11 of 11 (100.0%) ${SPARE} Cluster db (3 instances) x 3, initdb or join job of Cluster db (1 at a time) x 2`,
      `error: limits.memory: 17.5Gi of 17.5Gi (100.0%) ${SPARE} Cluster db (3 instances) x 4.5Gi, initdb or join job of Cluster db (1 at a time) x 4Gi`,
      `error: pods: 4 of 4 (100.0%) ${SPARE} Cluster db 3 instances, initdb or join job of Cluster db 1 at a time`,
      `error: persistentvolumeclaims: 6 of 6 (100.0%) ${SPARE} Cluster db 3 x (data + WAL)`,
      `error: requests.storage: 180Gi of 180Gi (100.0%) ${SPARE} Cluster db 3 x (data + WAL): 180Gi`,
    ]);
  });

  test('counts a tablespace claim per instance', () => {
    expect(messages([quota({ persistentvolumeclaims: 3 }), cluster({ walStorage: undefined, plugins: [], tablespaces: [{ name: 'archive', storage: { size: '1Gi' } }] })]))
      .toEqual([`error: persistentvolumeclaims: 6 of 3 (200.0%) ${SPARE} Cluster db 3 x (data + tablespace archive)`]);
  });

  test('fails a Barman Cloud sidecar without resources, when no LimitRange gives them', () => {
    const store = { ...objectStore, spec: { configuration: { destinationPath: 's3://b' } } };
    expect(messages([quota({ 'limits.cpu': '100' }), store, cluster()])).toEqual([
      'error: container \'plugin-barman-cloud\' of Cluster test/db states no limits.cpu and no LimitRange of the namespace gives one: the quota refuses its pods',
    ]);
  });

  test('counts a Pooler\'s pods and surge, its bootstrap init container with the LimitRange\'s defaults', () => {
    const pooler = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Pooler', metadata: { name: 'pool' }, spec: {
      cluster: { name: 'db' }, instances: 2, type: 'rw', template: { spec: { containers: [container('pgbouncer', resources('500m', '128Mi'))] } },
    } };
    // The init container's default limit (256Mi) is more than pgbouncer's (128Mi): the pod counts 256Mi.
    expect(messages([quota({ 'limits.memory': '768Mi' }), limitRange, pooler]))
      .toEqual([`error: limits.memory: 768Mi of 768Mi (100.0%) ${SPARE} Pooler pool (2 + 1 surge) x 256Mi`]);
  });

  test('counts one ACME order at a time: the solvers of the Certificate with the most DNS names', () => {
    const issuer = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'le' },
      spec: { acme: { server: 'https://acme', privateKeySecretRef: { name: 'k' }, solvers: [{ http01: { ingress: {} } }] } } };
    const certificate = (name: string, dnsNames: string[]) => ({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name },
      spec: { secretName: name, dnsNames, issuerRef: { kind: 'ClusterIssuer', name: 'le' } } });
    expect(messages([quota({ 'requests.cpu': '20m', pods: 2 }), limitRange, issuer, certificate('a', ['a.example.com']), certificate('b', ['b.example.com', 'c.example.com'])])).toEqual([
      `error: requests.cpu: 0.02 of 0.02 (100.0%) ${SPARE} ACME HTTP-01 solver of Certificate b (2 DNS names) x 0.01`,
      `error: pods: 2 of 2 (100.0%) ${SPARE} ACME HTTP-01 solver of Certificate b 2 DNS names`,
    ]);
  });

  test('counts the solvers of the certificates cert-manager\'s ingress-shim issues for an annotated Ingress', () => {
    const ingress = (annotations: Record<string, string>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', annotations },
      spec: { tls: [{ hosts: ['a.example.com'], secretName: 'a' }, { hosts: ['b.example.com', 'c.example.com'], secretName: 'b' }] } });
    const letsencrypt = Prerequisite.clusterObject('ClusterIssuer', 'le', 'test');
    expect(messages([quota({ pods: 2 }), ingress({ 'cert-manager.io/cluster-issuer': 'le' })], Tier.PRODUCTION, [letsencrypt]))
      .toEqual([`error: pods: 2 of 2 (100.0%) ${SPARE} ACME HTTP-01 solver of Ingress web 2 DNS names`]);
    expect(messages([quota({ pods: 1 }), ingress({})])).toEqual([]);
  });

  test('counts the solvers of the certificates of an Issuer of the namespace', () => {
    const issuer = { apiVersion: 'cert-manager.io/v1', kind: 'Issuer', metadata: { name: 'le' },
      spec: { acme: { server: 'https://acme', privateKeySecretRef: { name: 'k' }, solvers: [{ http01: { gatewayHTTPRoute: {} } }] } } };
    const certificate = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, spec: { secretName: 'c', dnsNames: ['a.example.com'], issuerRef: { name: 'le' } } };
    expect(messages([quota({ pods: 1 }), issuer, certificate])).toEqual([`error: pods: 1 of 1 (100.0%) ${SPARE} ACME HTTP-01 solver of Certificate c 1 DNS name`]);
  });

  test('counts a solver for an issuer the cluster provides, none for an issuer of the app that does not solve HTTP-01', () => {
    const certificate = (issuer: string) => ({ apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' },
      spec: { secretName: 'c', dnsNames: ['a.example.com'], issuerRef: { kind: 'ClusterIssuer', name: issuer } } });
    const ca = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'internal' }, spec: { ca: { secretName: 'ca' } } };
    expect(messages([quota({ pods: 1 }), certificate('letsencrypt')], Tier.PRODUCTION, [Prerequisite.clusterObject('ClusterIssuer', 'letsencrypt', 'test')]))
      .toEqual([`error: pods: 1 of 1 (100.0%) ${SPARE} ACME HTTP-01 solver of Certificate c 1 DNS name`]);
    expect(messages([quota({ pods: 1 }), ca, certificate('internal')])).toEqual([]);
  });
});

describe('quota-headroom: quotas', () => {
  const api = deployment('api', { replicas: 2, strategy: { rollingUpdate: { maxSurge: 1 } } });

  test('reads the other names of a dimension: cpu, memory, count/pods', () => {
    expect(messages([quota({ cpu: '300m', memory: '192Mi', 'count/pods': 3 }), api])).toEqual([
      `error: requests.cpu: 0.3 of 0.3 (100.0%) ${SPARE} Deployment api (2 + 1 surge) x 0.1`,
      `error: requests.memory: 192Mi of 192Mi (100.0%) ${SPARE} Deployment api (2 + 1 surge) x 64Mi`,
      `error: pods: 3 of 3 (100.0%) ${SPARE} Deployment api 2 + 1 surge`,
    ]);
  });

  test('fails a quota of 0 the namespace needs any of', () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } };
    expect(messages([quota({ persistentvolumeclaims: 0 }), pvc])).toEqual([`error: persistentvolumeclaims: 1 of 0 (all) ${SPARE} PersistentVolumeClaim data 1`]);
    expect(messages([quota({ persistentvolumeclaims: 0 })])).toEqual([]);
  });

  test('does not check a scoped quota, or one of another namespace', () => {
    expect(messages([quota({ pods: 1 }, { scopes: ['BestEffort'] }), api])).toEqual([]);
    expect(messages([{ ...quota({ pods: 1 }), metadata: { name: 'q', namespace: 'other' } }, api])).toEqual([]);
  });

  test('is a warning in development', () => {
    expect(messages([quota({ pods: 1 }), api], Tier.DEVELOPMENT)).toEqual([`warning: pods: 3 of 1 (300.0%) ${SPARE} Deployment api 2 + 1 surge`]);
  });
});

describe('quantities', () => {
  test.each([
    ['250m', 0.25], ['2', 2], ['1.5', 1.5], ['1Gi', 2 ** 30], ['512Mi', 512 * 2 ** 20], ['1k', 1000], ['1M', 1e6], ['1e3', 1000], ['100n', 1e-7], [3, 3],
  ])('reads %p', (quantity, value) => {
    expect(parseQuantity(quantity)).toBeCloseTo(value);
  });

  test.each(['', 'lots', '1Gb', undefined])('reads %p as no quantity', (quantity) => {
    expect(parseQuantity(quantity)).toBeUndefined();
  });

  test('writes amounts briefly', () => {
    expect([formatCores(41.6), formatCores(0.01), formatBytes(65.8125 * 2 ** 30), formatBytes(512 * 2 ** 20), formatBytes(100)]).toEqual(['41.6', '0.01', '65.81Gi', '512Mi', '100']);
  });
});
