import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  ClusterDns, EgressEngine, EnvValue, Guardrails, HaPostgres, Image, JobCleanup, JobRestartPolicy, LogCollection, LogFormat, NamespaceBaseline,
  NetworkPeer, NodePool, OneOffJob, OneOffJobProps, PostgresBackup, PreStop, ProductionApp, TaintEffect,
} from '../../lib';
import { Manifest, ofKind, one, registryIn, synth, testChart } from '../util';

const IMAGE = Image.pinned('ghcr.io/acme/api', '1.2.3');
const QUOTA = { requestsCpu: Cpu.units(4), requestsMemory: Size.gibibytes(8), limitsCpu: Cpu.units(8), limitsMemory: Size.gibibytes(16) };
const SMALL = {
  cpu: { request: Cpu.millis(50), limit: Cpu.millis(200) },
  memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
  ephemeralStorage: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
};

function jobOf(manifests: Manifest[]): Manifest {
  return one(manifests, 'Job');
}

/** The production guardrails' report on the app of `chart`. */
function guardrailsOf(chart: Chart) {
  return Guardrails.apply(chart.node.root as App).evaluate();
}

describe('OneOffJob', () => {
  test('minimal props match the snapshot', () => {
    const chart = testChart();
    new OneOffJob(chart, 'Migrate', { image: IMAGE, args: ['migrate'] });
    expect(synth(chart)).toMatchSnapshot();
  });

  test('all props match the snapshot', () => {
    const chart = testChart();
    const all: Required<OneOffJobProps> = {
      image: IMAGE,
      name: 'orders-migrate',
      namespace: 'shop',
      component: 'migrations',
      partOf: 'shop',
      labels: { 'acme.com/team': 'orders' },
      annotations: { 'acme.com/owner': 'orders@acme.com' },
      podLabels: { 'vector.dev/exclude': 'false' },
      podAnnotations: { 'fluentbit.io/parser': 'json' },
      command: ['/app/manage'],
      args: ['migrate', '--no-input'],
      env: { LOG_FORMAT: 'json' },
      config: { MIGRATION_LOCK_TIMEOUT: '60' },
      configMountPath: '/etc/migrate',
      resources: SMALL,
      initContainers: [{ name: 'fetch-scripts', resources: SMALL, mounts: [{ volume: 'scripts', mountPath: '/scripts', readOnly: false }] }],
      sidecars: [{ name: 'proxy', image: Image.pinned('ghcr.io/acme/db-proxy', '2.0.0'), resources: SMALL }],
      preStop: PreStop.exec(['/app/manage', 'release-lock']),
      runAsUser: 20000,
      runAsGroup: 20000,
      mountServiceAccountToken: false,
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/migrate' },
      dns: ClusterDns.nodeLocalCache(),
      egressEngine: EgressEngine.cilium(),
      imagePullSecrets: [registryIn(chart, 'Registry', { namespace: 'shop' })],
      logs: LogCollection.fluentBit({ destination: 'Loki at https://loki.example.com' }),
      logFormat: LogFormat.JSON,
      nodePool: NodePool.of({ labels: { 'node-pool': 'batch' }, taints: [{ key: 'dedicated', value: 'batch', effect: TaintEffect.NO_SCHEDULE }] }),
      priorityClassName: 'batch',
      volumes: [{ name: 'scripts', mountPath: '/scripts', source: { emptyDir: {} } }],
      tmpSize: Size.mebibytes(64),
      terminationGracePeriod: Duration.seconds(60),
      backoffLimit: 1,
      activeDeadline: Duration.minutes(20),
      restartPolicy: JobRestartPolicy.ON_FAILURE,
      cleanup: JobCleanup.afterFinished(Duration.hours(6)),
    };
    new OneOffJob(chart, 'Migrate', all);
    expect(synth(chart)).toMatchSnapshot();
  });

  describe('objects', () => {
    test('a ServiceAccount, a Job and a NetworkPolicy; no Service, autoscaler or disruption budget', () => {
      const chart = testChart();
      new OneOffJob(chart, 'Migrate', { image: IMAGE });
      expect(synth(chart).map((m) => m.kind)).toEqual(['ServiceAccount', 'Job', 'NetworkPolicy']);
    });

    test('runs to completion: restartPolicy Never, retries 3 times, for an hour at most, without probes or spreading', () => {
      const chart = testChart();
      new OneOffJob(chart, 'Migrate', { image: IMAGE });
      const job = jobOf(synth(chart));
      expect(job.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 3600 });
      expect(job.spec.selector).toBeUndefined();
      const pod = job.spec.template.spec;
      expect(pod.restartPolicy).toBe('Never');
      expect(pod.containers[0].readinessProbe).toBeUndefined();
      expect(pod.containers[0].livenessProbe).toBeUndefined();
      expect(pod.containers[0].ports).toBeUndefined();
      expect(pod.affinity).toBeUndefined();
      expect(pod.topologySpreadConstraints).toBeUndefined();
    });

    test('its pods are hardened like every workload\'s', () => {
      const chart = testChart();
      new OneOffJob(chart, 'Migrate', { image: IMAGE });
      const pod = jobOf(synth(chart)).spec.template.spec;
      expect(pod.securityContext).toEqual({
        runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.serviceAccountName).toBe('migrate');
      expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(pod.containers[0].resources.limits).toEqual({ 'cpu': '1', 'memory': '512Mi', 'ephemeral-storage': '1Gi' });
    });

    test('admits nobody and lets the pods reach cluster DNS only', () => {
      const chart = testChart();
      new OneOffJob(chart, 'Migrate', { image: IMAGE });
      const policy = one(synth(chart), 'NetworkPolicy');
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec.ingress).toBeUndefined();
      expect(policy.spec.egress).toHaveLength(1);
    });
  });

  describe('name', () => {
    const jobName = (props: Partial<OneOffJobProps> = {}, bind?: (job: OneOffJob) => void) => {
      const chart = testChart();
      const job = new OneOffJob(chart, 'Migrate', { image: IMAGE, ...props });
      bind?.(job);
      return jobOf(synth(chart)).metadata.name as string;
    };

    test('is the name and a hash of the Job\'s spec, the same for the same spec', () => {
      expect(jobName()).toMatch(/^migrate-[0-9a-f]{10}$/);
      expect(jobName()).toBe(jobName());
    });

    test('changes with the image, so that a new version is a new Job (a Job\'s pod template is immutable)', () => {
      expect(jobName({ image: Image.pinned('ghcr.io/acme/api', '1.2.4') })).not.toBe(jobName());
    });

    test('changes with what a binding adds after construction', () => {
      expect(jobName({}, (job) => job.addEnv('PGHOST', EnvValue.literal('db')))).not.toBe(jobName());
    });

    test('keeps the ServiceAccount, NetworkPolicy and pod labels on the plain name', () => {
      const chart = testChart();
      const job = new OneOffJob(chart, 'Migrate', { image: IMAGE });
      const manifests = synth(chart);
      expect(job.name).toBe('migrate');
      expect(one(manifests, 'ServiceAccount').metadata.name).toBe('migrate');
      expect(one(manifests, 'NetworkPolicy').metadata.name).toBe('migrate');
      expect(jobOf(manifests).spec.template.metadata.labels['app.kubernetes.io/name']).toBe('migrate');
    });
  });

  describe('cleanup', () => {
    test('by default keeps the finished Job for the GitOps prune, and records why it sets no TTL as the job-ttl exception', () => {
      const chart = testChart();
      new OneOffJob(chart, 'Migrate', { image: IMAGE });
      expect(jobOf(synth(chart)).spec.ttlSecondsAfterFinished).toBeUndefined();
      const report = guardrailsOf(chart);
      const findings = report.findings.filter((f) => f.rule.id === 'job-ttl');
      expect(findings.map((f) => [f.message, f.suppression])).toEqual([[
        'sets no ttlSecondsAfterFinished: the finished Job and its pods stay until someone deletes them',
        expect.stringMatching(/^cleaned up when a new version replaces it: the Job is named after a hash of its spec, so the GitOps prune deletes the previous one/),
      ]]);
      expect(report.errors.filter((f) => f.rule.id === 'job-ttl')).toEqual([]);
    });

    test('afterFinished sets ttlSecondsAfterFinished and needs no exception', () => {
      const chart = testChart();
      new OneOffJob(chart, 'Migrate', { image: IMAGE, cleanup: JobCleanup.afterFinished(Duration.hours(1)) });
      expect(jobOf(synth(chart)).spec.ttlSecondsAfterFinished).toBe(3600);
      expect(guardrailsOf(chart).findings.filter((f) => f.rule.id === 'job-ttl')).toEqual([]);
    });
  });

  describe('wiring', () => {
    test('connects to a database with the same credentials-as-files binding as a service', () => {
      const chart = testChart();
      const job = new OneOffJob(chart, 'Migrate', { image: IMAGE });
      const db = new HaPostgres(chart, 'Db', {
        kubernetesApi: { peer: NetworkPeer.ipBlock('10.0.0.0/16') },
        storage: { size: Size.gibibytes(10) },
        backup: PostgresBackup.none({ reason: 'test' }),
      });
      job.connectTo(db);
      const manifests = synth(chart);
      const container = jobOf(manifests).spec.template.spec.containers[0];
      expect(container.env.map((e: any) => e.name)).toEqual(['PGHOST', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD_FILE', 'PGSSLMODE', 'PGSSLROOTCERT']);
      expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/var/run/secrets/postgres/db', '/etc/postgresql/db-ca']);
      expect(one(manifests, 'NetworkPolicy', 'migrate').spec.egress).toContainEqual(expect.objectContaining({ ports: [{ port: 5432, protocol: 'TCP' }] }));
    });

    test('prepares a workload: the Job is written before it, and the relationship can be read back', () => {
      const chart = testChart();
      const api = new ProductionApp(chart, 'Api', { image: IMAGE });
      const job = new OneOffJob(chart, 'Migrate', { image: IMAGE });
      job.prepares(api);
      job.prepares(api);
      const kinds = synth(chart).map((m) => m.kind);
      expect(kinds.indexOf('Job')).toBeLessThan(kinds.indexOf('Deployment'));
      expect(job.prepared).toEqual([api]);
      expect(api.node.dependencies).toContain(job);
    });

    test('a job serves nothing: admitting a peer needs ports', () => {
      const chart = testChart();
      const job = new OneOffJob(chart, 'Migrate', { image: IMAGE });
      expect(() => job.allowFrom(NetworkPeer.namespace('monitoring')))
        .toThrow(/\[test\/Migrate\] 'allowFrom' \('namespaces:kubernetes.io\/metadata.name=monitoring'\) needs ports: this workload serves none/);
      job.allowFrom(NetworkPeer.namespace('monitoring'), [{ port: 9102 }]);
      expect(one(synth(chart), 'NetworkPolicy').spec.ingress).toEqual([expect.objectContaining({ ports: [{ port: 9102, protocol: 'TCP' }] })]);
    });
  });

  test('passes every production guardrail in a namespace baseline, with native sidecars and init containers', () => {
    const chart = testChart();
    new NamespaceBaseline(chart, 'Namespace', { name: 'test', quota: QUOTA });
    new OneOffJob(chart, 'Migrate', {
      image: IMAGE,
      sidecars: [{ name: 'proxy', resources: SMALL }],
      initContainers: [{ name: 'wait', resources: SMALL }],
    });
    expect(guardrailsOf(chart).errors.map((f) => `${f.rule.id}: ${f.message}`)).toEqual([]);
  });

  test('names the Job after a name of up to 52 characters, and cuts a longer one with a hash so that the Job name and its pods\' job-name label fit 63', () => {
    // GIVEN the longest name a Job keeps whole, and a longer one (a DNS label still: 63 characters at most)
    const chart = testChart();
    new OneOffJob(chart, 'Kept', { image: IMAGE, name: 'a'.repeat(52) });
    new OneOffJob(chart, 'Cut', { image: IMAGE, name: `${'b'.repeat(40)}-${'c'.repeat(22)}` });
    // THEN
    const [kept, cut] = ofKind(synth(chart), 'Job').map((job) => job.metadata.name);
    expect(kept).toMatch(/^a{52}-[0-9a-f]{10}$/);
    expect(cut).toMatch(/^b{40}-[0-9a-f]{10}-[0-9a-f]{10}$/);
    expect(cut.length).toBeLessThanOrEqual(63);
    // the other objects keep the name as given
    expect(one(synth(chart), 'ServiceAccount', `${'b'.repeat(40)}-${'c'.repeat(22)}`)).toBeDefined();
  });

  describe('validation', () => {
    const cases: Array<[string, Partial<OneOffJobProps>, RegExp]> = [
      ['the backoff limit is negative', { backoffLimit: -1 }, /'backoffLimit' \(-1\) must be an integer of at least 0/],
      ['the deadline is zero', { activeDeadline: Duration.seconds(0) }, /'activeDeadline' \('0s'\) must be a whole number of seconds, at least 1/],
      ['the deadline is a fraction of a second', { activeDeadline: Duration.millis(1500) }, /'activeDeadline' \('1.5s'\) must be a whole number of seconds/],
      ['the TTL is a fraction of a second', { cleanup: JobCleanup.afterFinished(Duration.millis(500)) }, /'cleanup.ttl' \('0.5s'\) must be a whole number of seconds, at least 0/],
      ['the preStop hook calls a port the job does not have', { preStop: PreStop.httpGet('/drain') }, /'preStop' \('GET \/drain'\) needs a port to call: this workload serves none/],
      ['the image floats', { image: Image.pinned('ghcr.io/acme/api', 'latest') }, /'image' \('ghcr.io\/acme\/api:latest'\) must be pinned/],
    ];

    test.each(cases)('fails when %s', (_, props, message) => {
      const chart = testChart();
      expect(() => new OneOffJob(chart, 'Migrate', { image: IMAGE, ...props })).toThrow(message);
      expect(synth(chart)).toEqual([]);
    });

    test('fails when it prepares itself', () => {
      const chart = testChart();
      const job = new OneOffJob(chart, 'Migrate', { image: IMAGE });
      expect(() => job.prepares(job)).toThrow(/\[test\/Migrate\] 'prepares' \('test\/Migrate'\) must name another workload: a job cannot prepare itself/);
    });

    test('fails when no namespace is set on the job or its chart', () => {
      const chart = new Chart(Testing.app(), 'bare');
      expect(() => new OneOffJob(chart, 'Migrate', { image: IMAGE })).toThrow(/\[bare\/Migrate\] 'namespace' \(unset\) must be set on the OneOffJob or its Chart/);
      expect(ofKind(synth(chart), 'Job')).toEqual([]);
    });
  });
});
