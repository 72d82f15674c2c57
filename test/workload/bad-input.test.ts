import { Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  EnvValue, Image, JobCleanup, NetworkPeer, NodePool, OneOffJob, PreStop, Probe, ProductionApp, ProductionAppProps, Schedule, ScheduledJob,
  SessionAffinity, StatefulApp, TaintEffect,
} from '../../lib';
import { synth, testChart } from '../util';

// Bad input as a caller without a type checker writes it (plain JavaScript, values read from JSON or YAML):
// every case is cast through `any`, as such a caller's values are.
const IMAGE = Image.pinned('ghcr.io/acme/api', '1.2.3');
const SMALL = {
  cpu: { request: Cpu.millis(50), limit: Cpu.millis(200) },
  memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
  ephemeralStorage: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
};

function app(props: any = {}): ProductionApp {
  return new ProductionApp(testChart(), 'Api', { image: IMAGE, ...props } as ProductionAppProps);
}

describe('ProductionApp with bad input', () => {
  const cases: Array<[string, any, RegExp]> = [
    // kinds
    ['the port is a string', { port: '8080' }, /\[test\/Api\] 'port' \('8080'\) must be a number, or left unset/],
    ['replicas is null', { replicas: null }, /'replicas' \(null\) must be a number, or left unset/],
    ['a CPU request is a string', { resources: { ...SMALL, cpu: { request: '250m', limit: Cpu.units(1) } } },
      /'resources.cpu.request' \('250m'\) must be a Cpu \(Cpu.millis or Cpu.units\)/],
    ['a memory limit is a string', { resources: { ...SMALL, memory: { request: Size.mebibytes(32), limit: '512Mi' } } },
      /'resources.memory.limit' \('512Mi'\) must be a Size/],
    ['the grace period is a number', { terminationGracePeriod: 30 }, /'terminationGracePeriod' \(30\) must be a Duration/],
    ['an argument is a number', { args: ['serve', 8080] }, /'args\[1\]' \(8080\) must be a string/],
    ['the command is a string', { command: 'serve' }, /'command' \('serve'\) must be an array \(each item a string\)/],
    ['labels are an array', { labels: ['team'] }, /'labels' \(\["team"\]\) must be an object \(each value a string\), or left unset/],
    ['an env value is a function', { env: { A: () => 'x' } }, /'env.A' \('<redacted>'\) must be a string/],
    ['a config value is a BigInt', { config: { A: 10n } }, /'config.A' \('<redacted>'\) must be a string/],
    ['a config key is __proto__', { config: JSON.parse('{"__proto__":"x","A":"b"}') }, /'config.__proto__' \('__proto__'\) must not be __proto__ or constructor/],
    ['a config key is constructor', { config: { constructor: 'x' } }, /'config.constructor' \('constructor'\) must not be __proto__ or constructor/],
    ['the image is a string', { image: 'nginx:1.27' }, /'image' \('nginx:1.27'\) must be an Image \(Image.pinned, Image.digest or Image.fromReference\)/],
    ['the image repository is not a string', { image: Image.pinned(undefined as any, '1.0') }, /'image' \('undefined:1.0'\) must be made of strings/],
    ['the image reference is a number', { image: Image.fromReference(5 as any) }, /'image' \(5\) must be made of strings/],
    ['a probe is a plain object', { readiness: { path: '/ready' } }, /'readiness' \(\{"path":"\/ready"\}\) must be a Probe \(Probe.http, Probe.tcp or Probe.exec\)/],
    ['spreading is a word that is no policy', { hostSpread: 'always' }, /'hostSpread' \('always'\) must be a SpreadPolicy: 'PREFERRED', 'REQUIRED', or left unset/],
    ['a peer is a CIDR string', { allowFrom: ['10.0.0.0/8'] }, /'allowFrom\[0\]' \('10.0.0.0\/8'\) must be a NetworkPeer/],
    ['a volume has no source', { volumes: [{ name: 'cache', mountPath: '/cache' }] }, /'volumes\[0\].source' \(unset\) must be a volume source/],
    // numbers
    ['replicas is over int32', { replicas: 2 ** 31, autoscaling: { enabled: false } }, /'replicas' \(2147483648\) must be at most 2147483647: the API stores it in a 32-bit integer/],
    ['replicas is a fraction', { replicas: 2.5 }, /'replicas' \(2.5\) must be an integer of at least 1/],
    ['the port is NaN', { port: NaN }, /'port' \(NaN\) must be an integer port between 1 and 65535/],
    ['the port is 65536', { port: 65536 }, /'port' \(65536\) must be an integer port between 1 and 65535/],
    ['the Service port is the metrics port', { servicePort: 9090, metrics: { port: 9090 } },
      /'servicePort' \(9090\) must differ from the Service's port 'metrics' \(9090\/TCP\): the API server refuses a Service with a port number twice/],
    ['the Service port is an additional port', { servicePort: 9000, additionalPorts: [{ name: 'grpc', port: 9000 }] },
      /'servicePort' \(9000\) must differ from the Service's port 'grpc' \(9000\/TCP\)/],
    ['the scale-down window is over an hour', { autoscaling: { scaleDownStabilization: Duration.seconds(3601) } },
      /'autoscaling.scaleDownStabilization' \('3601s'\) must be a whole number of seconds from 0 to 3600/],
    ['the scale-down window is a fraction of a second', { autoscaling: { scaleDownStabilization: Duration.millis(1500) } },
      /'autoscaling.scaleDownStabilization' \('1.5s'\) must be a whole number of seconds from 0 to 3600/],
    ['the autoscaler maximum is over int32', { autoscaling: { maxReplicas: 2 ** 31 } }, /'autoscaling.maxReplicas' \(2147483648\) must be at most 2147483647/],
    ['the grace period is zero', { terminationGracePeriod: Duration.seconds(0) }, /'terminationGracePeriod' \('0s'\) must be a whole number of seconds, at least 1/],
    ['the grace period is a fraction of a second', { terminationGracePeriod: Duration.millis(2500) }, /'terminationGracePeriod' \('2.5s'\) must be a whole number of seconds/],
    ['a CPU request is a fraction of a millicore', { resources: { ...SMALL, cpu: { request: Cpu.millis(0.5), limit: Cpu.units(1) } } },
      /'resources.cpu.request' \('0.5m'\) must be a whole number of millicores, not negative/],
    ['a CPU limit is negative', { resources: { ...SMALL, cpu: { request: Cpu.millis(50), limit: Cpu.units(-1) } } },
      /'resources.cpu.limit' \('-1'\) must be a whole number of millicores, not negative/],
    ['a memory request is NaN', { resources: { ...SMALL, memory: { request: Size.mebibytes(NaN), limit: Size.mebibytes(64) } } },
      /'resources.memory.request' \('NaNKi'\) must be a finite size/],
    ['/tmp has no room', { tmpSize: Size.kibibytes(0) }, /'tmpSize' \('0Ki'\) must be at least 1Ki/],
    ['the persistent volume requests nothing', { replicas: 1, autoscaling: { enabled: false }, persistentVolume: { mountPath: '/data', size: Size.gibibytes(0), storageClassName: 'gp3' } },
      /'persistentVolume.size' \('0Ki'\) must be greater than zero: the API server refuses a claim that requests no storage/],
    // probes
    ['the readiness period is 0', { readiness: Probe.http('/ready', { period: Duration.seconds(0) }) }, /'readiness.period' \('0s'\) must be a whole number of seconds, at least 1/],
    ['the liveness timeout is 0', { liveness: Probe.http('/health', { timeout: Duration.seconds(0) }) }, /'liveness.timeout' \('0s'\) must be a whole number of seconds, at least 1/],
    ['the liveness failure threshold is 0', { liveness: Probe.http('/health', { failureThreshold: 0 }) }, /'liveness.failureThreshold' \(0\) must be an integer of at least 1/],
    ['the startup initial delay is a fraction', { startup: Probe.tcp({ initialDelay: Duration.millis(500) }) }, /'startup.initialDelay' \('0.5s'\) must be a whole number of seconds, at least 0/],
    ['a probe path has no leading slash', { readiness: Probe.http('ready') }, /'readiness.path' \('ready'\) must be an absolute path of an HTTP request/],
    ['a probe runs an empty command', { liveness: Probe.exec([]) }, /'liveness.command' \(\[\]\) must run a command/],
    ['a probe command holds a number', { liveness: Probe.exec(['check', 1] as any) }, /'liveness.command\[1\]' \(1\) must be a string/],
    ['probe options are null', { readiness: Probe.http('/ready', null as any) }, /'readiness.options' \(null\) must be a ProbeOptions object/],
    // names, keys, config and env
    ['a node pool label key has a space', { nodePool: NodePool.of({ labels: { 'pool name': 'core' } }) }, /'nodePool.labels.pool name' \('pool name'\) is not a valid label key/],
    ['a node pool has no label', { nodePool: NodePool.of({ labels: {} }) }, /'nodePool.labels' \(\{\}\) must hold at least one label: an empty node selector picks every node/],
    ['a taint key has a space', { nodePool: NodePool.of({ labels: { pool: 'jobs' }, taints: [{ key: 'dedicated to', effect: TaintEffect.NO_SCHEDULE }] }) },
      /'nodePool.taints\[0\].key' \('dedicated to'\) must be a taint key/],
    ['a taint value has a space', { nodePool: NodePool.of({ labels: { pool: 'jobs' }, taints: [{ key: 'dedicated', value: 'batch jobs', effect: TaintEffect.NO_SCHEDULE }] }) },
      /'nodePool.taints\[0\].value' \('batch jobs'\) must be a taint value/],
    ['a taint effect is no effect', { nodePool: NodePool.of({ labels: { pool: 'jobs' }, taints: [{ key: 'dedicated', effect: 'Never' as any }] }) },
      /'nodePool.taints\[0\].effect' \('Never'\) must be a TaintEffect: 'NoSchedule', 'PreferNoSchedule', 'NoExecute'/],
    ['a taint is listed twice', { nodePool: NodePool.of({ labels: { pool: 'jobs' }, taints: [{ key: 'd', effect: TaintEffect.NO_SCHEDULE }, { key: 'd', effect: TaintEffect.NO_SCHEDULE }] }) },
      /'nodePool.taints\[1\]' \('d:NoSchedule'\) repeats a key and effect: a node carries one taint per key and effect/],
    ['a variable is set by env and by config', { config: { LOG_LEVEL: 'info' }, env: { LOG_LEVEL: 'debug' } },
      /'env.LOG_LEVEL' \('LOG_LEVEL'\) is already set on this app, by its config \(and now by env\): each variable has one source/],
    ['the config holds more than 1 MiB', { config: { BIG: 'x'.repeat(1024 * 1024 + 1) } }, /'config' \('1048577 bytes'\) must hold at most 1048576 bytes of values \(1 MiB\)/],
    ['a config key is . (an env name, but no ConfigMap key)', { config: { '.': 'x' } }, /'config\..' \('\.'\) must be a Secret key/],
    ['a config value holds a libpq password', { config: { DSN: 'host=db user=app password=hunter2' } },
      /'config.DSN' \('<redacted>'\) holds a credential assigned to 'password', which would be committed with the manifests/],
    ['an env value holds a JDBC password', { env: { JDBC_URL: 'jdbc:sqlserver://db;user=app;password=hunter2' } }, /'env.JDBC_URL' \('<redacted>'\) holds a credential assigned to 'password'/],
    ['a ServiceAccount annotation key is invalid', { serviceAccountAnnotations: { 'bad key': 'x' } }, /'serviceAccountAnnotations.bad key' \('bad key'\) is not a valid annotation key/],
    ['pod annotations hold more than 256 KiB', { podAnnotations: { 'example.com/notes': 'x'.repeat(256 * 1024) } }, /'podAnnotations' \('262161 bytes'\) must hold at most 262144 bytes/],
    ['a sidecar mounts a volume at /', { sidecars: [{ name: 'proxy', resources: SMALL, mounts: [{ volume: 'config', mountPath: '/' }] }], config: { A: 'b' } },
      /'sidecars.proxy.mounts.config.mountPath' \('\/'\) must be an absolute path without '\.\.', other than '\/'/],
    ['a sidecar argument is a number', { sidecars: [{ name: 'proxy', resources: SMALL, args: [1] }] }, /'sidecars\[0\].args\[0\]' \(1\) must be a string/],
    ['a sidecar has no resources', { sidecars: [{ name: 'proxy' }] }, /'sidecars\[0\].resources' \(unset\) must be a ContainerResources object/],
    ['the config is mounted at /', { config: { A: 'b' }, configMountPath: '/' }, /'configMountPath' \('\/'\) must be an absolute path without '\.\.', other than '\/'/],
    ['a preStop sleep is a string', { preStop: PreStop.sleep('5s' as any) }, /'preStop' \('5s'\) must be a Duration/],
    ['a preStop command holds a number', { preStop: PreStop.exec(['drain', 5] as any) }, /'preStop.command\[1\]' \(5\) must be a string/],
    ['the session affinity lasts a string', { sessionAffinity: SessionAffinity.clientIp('1h' as any) }, /'sessionAffinity' \('1h'\) must keep a client for a whole number of seconds/],
  ];

  test.each(cases)('fails when %s', (_, props, message) => {
    const chart = testChart();
    expect(() => new ProductionApp(chart, 'Api', { image: IMAGE, ...props })).toThrow(message);
  });

  test.each([
    ['no props object is given', undefined, /'props' \(unset\) must be an object of ProductionAppProps/],
    ['the props object is null', null, /'props' \(null\) must be an object of ProductionAppProps/],
    ['the image is missing', {}, /'image' \(unset\) must be an Image/],
  ])('fails when %s', (_, props, message) => {
    expect(() => new ProductionApp(testChart(), 'Api', props as any)).toThrow(message);
  });
});

describe('workload methods with bad input', () => {
  test.each([
    ['allowFrom gets a CIDR past 32 bits', (a: ProductionApp) => a.allowFrom(NetworkPeer.ipBlock('10.0.0.0/33')),
      /'allowFrom' \('10.0.0.0\/33'\) must be an IPv4 or IPv6 CIDR block .*at most 32/],
    ['allowFrom gets an exception outside the block', (a: ProductionApp) => a.allowFrom(NetworkPeer.ipBlock('10.0.0.0/16', ['10.1.0.0/24'])),
      /'allowFrom.except' \('10.1.0.0\/24'\) must be a block inside '10.0.0.0\/16' with a longer prefix/],
    ['allowFrom gets a port over 65535', (a: ProductionApp) => a.allowFrom(NetworkPeer.namespace('web'), [{ port: 70000 }]),
      /'allowFrom.ports\[0\].port' \(70000\) must be an integer port between 1 and 65535/],
    ['allowTo gets no ports', (a: ProductionApp) => a.allowTo(NetworkPeer.namespace('web'), []),
      /'allowTo.ports' \(\[\]\) must list at least one port: a NetworkPolicy rule without ports admits every port/],
    ['allowTo gets a protocol that is none', (a: ProductionApp) => a.allowTo(NetworkPeer.namespace('web'), [{ port: 53, protocol: 'ICMP' as any }]),
      /'allowTo.ports\[0\].protocol' \('ICMP'\) must be a Protocol: 'TCP', 'UDP', or left unset/],
    ['allowTo gets a peer in a namespace no name can be', (a: ProductionApp) => a.allowTo(NetworkPeer.namespace('Web App'), [{ port: 80 }]),
      /'allowTo.namespaceSelector.kubernetes.io\/metadata.name' \('Web App'\) is not a valid label value/],
    ['allowTo gets a pod label key with a space', (a: ProductionApp) => a.allowTo(NetworkPeer.pods({ 'app name': 'web' }), [{ port: 80 }]),
      /'allowTo.podSelector.app name' \('app name'\) is not a valid label key/],
    ['connectTo gets a string', (a: ProductionApp) => a.connectTo('db' as any), /'connectTo' \('db'\) must be something to connect to/],
    ['addEnv gets a string', (a: ProductionApp) => a.addEnv('A', 'x' as any), /'env.A' \('x'\) must be an EnvValue/],
    ['addEnv gets a number as a literal', (a: ProductionApp) => a.addEnv('PORT', EnvValue.literal(8080 as any)), /'env.PORT' \('<redacted>'\) must be a string/],
    ['addEnv reads a pod field the kubelet does not hand over', (a: ProductionApp) => a.addEnv('NODE', EnvValue.fromField('spec.node')),
      /'env.NODE.fieldPath' \('spec.node'\) must be a pod field the kubelet hands to a container/],
    ['addEnv reads a Secret key that cannot be one', (a: ProductionApp) => a.addEnv('A', EnvValue.fromSecret('db-app', 'pass word')),
      /'env.A.key' \('pass word'\) must be a Secret key/],
    ['addEnv sets a variable a binding set', (a: ProductionApp) => {
      a.addEnv('DB_PASSWORD', EnvValue.fromSecret('db-app', 'password'));
      a.addEnv('DB_PASSWORD', EnvValue.fromSecret('db-other', 'password'));
    }, /'env.DB_PASSWORD' \('DB_PASSWORD'\) is already set on this app, by key 'password' of Secret 'db-app' \(and now by key 'password' of Secret 'db-other'\)/],
    ['addEnv reads a ConfigMap whose name cannot be one', (a: ProductionApp) => a.addEnv('A', EnvValue.fromConfigMap('App Settings', 'a')),
      /'env.A.name' \('App Settings'\) must be a DNS-1123 subdomain/],
    ['grantConnection gets something that is no workload', (a: ProductionApp) => a.grantConnection('worker' as any),
      /'grantConnection' \('worker'\) must be a workload/],
    ['addVolume mounts at /', (a: ProductionApp) => a.addVolume({ name: 'root', mountPath: '/', source: { emptyDir: {} } }),
      /'volumes.root.mountPath' \('\/'\) must be an absolute path without '\.\.', other than '\/'/],
    ['addVolume gets no object', (a: ProductionApp) => a.addVolume(undefined as any), /'volumes' \(unset\) must be a WorkloadVolume/],
    ['addPodAnnotation gets a key with a space', (a: ProductionApp) => a.addPodAnnotation('my key', 'x'), /'podAnnotations.my key' \('my key'\) is not a valid annotation key/],
    ['addPodAnnotation gets a number', (a: ProductionApp) => a.addPodAnnotation('example.com/n', 1 as any), /'podAnnotations.example.com\/n' \(1\) must be a string/],
  ])('fails when %s', (_, run, message) => {
    expect(() => run(app())).toThrow(message);
  });

  test('fails when a variable of the config is set by a binding, naming both', () => {
    const api = app({ config: { API_KEY_FILE: '/x' } });
    expect(() => api.addEnv('API_KEY_FILE', EnvValue.fromSecret('keys', 'api')))
      .toThrow(/'env.API_KEY_FILE' \('API_KEY_FILE'\) is already set on this app, by its config \(and now by key 'api' of Secret 'keys'\)/);
  });
});

describe('StatefulApp, OneOffJob and ScheduledJob with bad input', () => {
  const claim = { name: 'data', mountPath: '/data', size: Size.gibibytes(1), storageClassName: 'gp3' };
  test.each([
    ['a StatefulApp has no volume claims list', () => new StatefulApp(testChart(), 'Search', { image: IMAGE } as any), /'volumeClaims' \(unset\) must be an array/],
    ['a claim size is a string', () => new StatefulApp(testChart(), 'Search', { image: IMAGE, volumeClaims: [{ ...claim, size: '1Gi' }] } as any),
      /'volumeClaims\[0\].size' \('1Gi'\) must be a Size/],
    ['the pod management is a word that is none', () => new StatefulApp(testChart(), 'Search', { image: IMAGE, volumeClaims: [claim], podManagement: 'parallel' } as any),
      /'podManagement' \('parallel'\) must be a PodManagement: 'OrderedReady', 'Parallel', or left unset/],
    ['a claim retention is a word that is none', () => new StatefulApp(testChart(), 'Search', { image: IMAGE, volumeClaims: [claim], claimRetention: { whenDeleted: 'Keep' } } as any),
      /'claimRetention.whenDeleted' \('Keep'\) must be a RetentionAction: 'Retain', 'Delete', or left unset/],
    ['a OneOffJob cleanup is a Duration', () => new OneOffJob(testChart(), 'Migrate', { image: IMAGE, cleanup: Duration.hours(1) } as any),
      /'cleanup' \(.*\) must be a JobCleanup \(JobCleanup.whenReplaced or JobCleanup.afterFinished\)/],
    ['a OneOffJob TTL is over int32', () => new OneOffJob(testChart(), 'Migrate', { image: IMAGE, cleanup: JobCleanup.afterFinished(Duration.seconds(2 ** 31)) }),
      /'cleanup.ttl' \('2147483648s'\) must be at most 2147483647 seconds: the API stores it in a 32-bit integer/],
    ['a OneOffJob backoff limit is over int32', () => new OneOffJob(testChart(), 'Migrate', { image: IMAGE, backoffLimit: 2 ** 31 }),
      /'backoffLimit' \(2147483648\) must be at most 2147483647/],
    ['a OneOffJob prepares something that is no workload', () => new OneOffJob(testChart(), 'Migrate', { image: IMAGE }).prepares('api' as any),
      /'prepares\[0\]' \('api'\) must be a workload/],
    ['a ScheduledJob has no schedule', () => new ScheduledJob(testChart(), 'Prune', { image: IMAGE } as any), /'schedule' \(unset\) must be a Schedule/],
    ['a ScheduledJob schedule is a string', () => new ScheduledJob(testChart(), 'Prune', { image: IMAGE, schedule: '0 3 * * *' } as any),
      /'schedule' \('0 3 \* \* \*'\) must be a Schedule \(Schedule.cron, Schedule.hourly, Schedule.daily, ...\)/],
    ['a ScheduledJob cron is a number', () => new ScheduledJob(testChart(), 'Prune', { image: IMAGE, schedule: Schedule.cron(3 as any) }),
      /'schedule' \(3\) must be a cron expression \(a string\)/],
    ['a ScheduledJob deadline is a string', () => new ScheduledJob(testChart(), 'Prune', { image: IMAGE, schedule: Schedule.daily(), activeDeadline: '1h' } as any),
      /'activeDeadline' \('1h'\) must be a Duration/],
    ['a ScheduledJob history limit is over int32', () => new ScheduledJob(testChart(), 'Prune', { image: IMAGE, schedule: Schedule.daily(), failedJobsHistoryLimit: 2 ** 31 }),
      /'failedJobsHistoryLimit' \(2147483648\) must be at most 2147483647/],
    ['a ScheduledJob time zone is a number', () => new ScheduledJob(testChart(), 'Prune', { image: IMAGE, schedule: Schedule.daily(), timeZone: 1 } as any),
      /'timeZone' \(1\) must be a string, or left unset/],
  ])('fails when %s', (_, run, message) => {
    expect(run).toThrow(message);
  });

  test('writes nothing when a prop is of the wrong kind', () => {
    const chart = testChart();
    expect(() => new ProductionApp(chart, 'Api', { image: IMAGE, replicas: '3' } as any)).toThrow();
    expect(synth(chart)).toEqual([]);
  });
});
