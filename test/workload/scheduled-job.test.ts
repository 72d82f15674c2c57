import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import {
  ClusterDns, ConcurrencyPolicy, EgressEngine, ExternalPostgres, Guardrails, Image, JobRestartPolicy, LogCollection, LogFormat, NamespaceBaseline,
  NetworkPeer, NodePool, PostgresSslMode, PreStop, Schedule, ScheduledJob, ScheduledJobProps, SecretsBinding, SecretSource, SecretStoreRef,
} from '../../lib';
import { one, registryIn, synth, testChart } from '../util';

const IMAGE = Image.pinned('ghcr.io/acme/api', '1.2.3');
const NIGHTLY = Schedule.cron('30 3 * * *');
const SMALL = {
  cpu: { request: Cpu.millis(50), limit: Cpu.millis(200) },
  memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
  ephemeralStorage: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
};

function cronJobIn(chart: Chart, props: Partial<ScheduledJobProps> = {}): ScheduledJob {
  return new ScheduledJob(chart, 'Cleanup', { image: IMAGE, schedule: NIGHTLY, ...props });
}

describe('ScheduledJob', () => {
  test('minimal props match the snapshot', () => {
    const chart = testChart();
    cronJobIn(chart, { args: ['cleanup'] });
    expect(synth(chart)).toMatchSnapshot();
  });

  test('all props match the snapshot', () => {
    const chart = testChart();
    const all: Required<ScheduledJobProps> = {
      image: IMAGE,
      name: 'orders-report',
      namespace: 'shop',
      component: 'report',
      partOf: 'shop',
      labels: { 'acme.com/team': 'orders' },
      annotations: { 'acme.com/owner': 'orders@acme.com' },
      podLabels: { 'vector.dev/exclude': 'false' },
      podAnnotations: { 'fluentbit.io/parser': 'json' },
      command: ['/app/manage'],
      args: ['report', '--yesterday'],
      env: { LOG_FORMAT: 'json' },
      config: { REPORT_FORMAT: 'csv' },
      configMountPath: '/etc/report',
      resources: SMALL,
      initContainers: [{ name: 'prepare', resources: SMALL }],
      sidecars: [{ name: 'proxy', image: Image.pinned('ghcr.io/acme/db-proxy', '2.0.0'), resources: SMALL }],
      preStop: PreStop.exec(['/app/manage', 'flush']),
      runAsUser: 20000,
      runAsGroup: 20000,
      mountServiceAccountToken: false,
      serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/report' },
      dns: ClusterDns.nodeLocalCache(),
      egressEngine: EgressEngine.cilium(),
      imagePullSecrets: [registryIn(chart, 'Registry', { namespace: 'shop' })],
      logs: LogCollection.fluentBit({ destination: 'Loki at https://loki.example.com' }),
      logFormat: LogFormat.JSON,
      nodePool: NodePool.of({ labels: { 'node-pool': 'batch' } }),
      priorityClassName: 'batch',
      volumes: [{ name: 'scratch', mountPath: '/scratch', readOnly: false, source: { emptyDir: { sizeLimit: undefined } } }],
      tmpSize: Size.mebibytes(64),
      terminationGracePeriod: Duration.seconds(60),
      backoffLimit: 2,
      activeDeadline: Duration.minutes(45),
      restartPolicy: JobRestartPolicy.ON_FAILURE,
      schedule: Schedule.cron('0 6 * * mon-fri'),
      timeZone: 'Europe/Paris',
      concurrencyPolicy: ConcurrencyPolicy.REPLACE,
      startingDeadline: Duration.minutes(30),
      successfulJobsHistoryLimit: 5,
      failedJobsHistoryLimit: 10,
      suspend: true,
    };
    new ScheduledJob(chart, 'Report', all);
    expect(synth(chart)).toMatchSnapshot();
  });

  test('a ServiceAccount, a CronJob and a NetworkPolicy that admits nobody', () => {
    const chart = testChart();
    cronJobIn(chart);
    const manifests = synth(chart);
    expect(manifests.map((m) => m.kind)).toEqual(['ServiceAccount', 'CronJob', 'NetworkPolicy']);
    expect(one(manifests, 'NetworkPolicy').spec.ingress).toBeUndefined();
  });

  test('one run at a time, a starting deadline, history limits and an explicit time zone by default', () => {
    const chart = testChart();
    cronJobIn(chart);
    const spec = one(synth(chart), 'CronJob').spec;
    expect(spec).toMatchObject({
      schedule: '30 3 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      suspend: false,
    });
  });

  test('its Jobs leave cleanup to the history limits: no ttlSecondsAfterFinished, and no job-ttl finding', () => {
    const chart = testChart();
    cronJobIn(chart);
    const jobSpec = one(synth(chart), 'CronJob').spec.jobTemplate.spec;
    expect(jobSpec.ttlSecondsAfterFinished).toBeUndefined();
    expect(jobSpec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 3600, template: { spec: { restartPolicy: 'Never' } } });
    expect(Guardrails.apply(chart.node.root as App).evaluate().findings.filter((f) => f.rule.id === 'job-ttl')).toEqual([]);
  });

  test('the Jobs it creates carry the labels of the workload, so its NetworkPolicy selects their pods', () => {
    const chart = testChart();
    cronJobIn(chart);
    const manifests = synth(chart);
    const template = one(manifests, 'CronJob').spec.jobTemplate;
    expect(template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'cleanup' });
    expect(one(manifests, 'NetworkPolicy').spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'cleanup', 'app.kubernetes.io/instance': 'cleanup' });
    expect(template.spec.template.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'cleanup', 'app.kubernetes.io/instance': 'cleanup' });
  });

  test('connects to a database like any workload', () => {
    const chart = testChart();
    const job = cronJobIn(chart);
    job.connectTo(new ExternalPostgres(chart, 'Orders', {
      host: 'orders.example.com', databaseName: 'orders', credentials: { secret: ordersCredentials(chart) }, endpoint: NetworkPeer.ipBlock('10.0.32.0/20'),
      sslMode: PostgresSslMode.REQUIRE,
    }));
    const container = one(synth(chart), 'CronJob').spec.jobTemplate.spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: 'PGHOST', value: 'orders.example.com' });
  });

  test('passes every production guardrail in a namespace baseline', () => {
    const chart = testChart();
    new NamespaceBaseline(chart, 'Namespace', {
      name: 'test', quota: { requestsCpu: Cpu.units(4), requestsMemory: Size.gibibytes(8), limitsCpu: Cpu.units(8), limitsMemory: Size.gibibytes(16) },
    });
    cronJobIn(chart);
    const report = Guardrails.apply(chart.node.root as App).evaluate();
    expect(report.errors.map((f) => `${f.rule.id}: ${f.message}`)).toEqual([]);
    expect(report.suppressed).toEqual([]);
  });

  describe('validation', () => {
    const cases: Array<[string, Partial<ScheduledJobProps>, RegExp]> = [
      ['the schedule has six fields', { schedule: Schedule.cron('0 30 3 * * *') }, /\[test\/Cleanup\] 'schedule' \('0 30 3 \* \* \*'\) must have 5 fields/],
      ['the schedule sets a time zone', { schedule: Schedule.cron('TZ=UTC 0 3 * * *') }, /'schedule' \('TZ=UTC 0 3 \* \* \*'\) must not set TZ or CRON_TZ/],
      ['the time zone is Local', { timeZone: 'Local' }, /'timeZone' \('Local'\) must be an IANA time zone name such as 'Europe\/Paris' or 'Etc\/UTC', not Local/],
      ['the time zone is not in the IANA database', { timeZone: 'Europe/Pariss' }, /'timeZone' \('Europe\/Pariss'\) is not a time zone of the IANA database/],
      ['the time zone is written in the wrong case', { timeZone: 'europe/paris' }, /'timeZone' \('europe\/paris'\) must be written 'Europe\/Paris': time zone names are case-sensitive/],
      ['the time zone has a component too long for the API server', { timeZone: 'America/Argentina_Buenos' }, /'timeZone' \('America\/Argentina_Buenos'\) must be an IANA time zone name/],
      ['the starting deadline is below the controller\'s 10 s', { startingDeadline: Duration.seconds(5) }, /'startingDeadline' \('5s'\) must be a whole number of seconds, at least 10/],
      ['the success history is negative', { successfulJobsHistoryLimit: -1 }, /'successfulJobsHistoryLimit' \(-1\) must be an integer of at least 0/],
      ['the failure history is not an integer', { failedJobsHistoryLimit: 1.5 }, /'failedJobsHistoryLimit' \(1.5\) must be an integer of at least 0/],
      ['the name is longer than the 52 characters the controller leaves', { name: 'a'.repeat(53) },
        /'name' \('a{53}'\) must be at most 52 characters: the CronJob controller names each Job '<name>-<minutes since the epoch>'/],
      ['the restart policy is not a Job\'s', { restartPolicy: 'Always' as JobRestartPolicy }, /'restartPolicy' \('Always'\) must be Never or OnFailure/],
    ];

    test.each(cases)('fails when %s', (_, props, message) => {
      const chart = testChart();
      expect(() => cronJobIn(chart, props)).toThrow(message);
      expect(synth(chart)).toEqual([]);
    });

    test('accepts the time zone names of the IANA database, links included', () => {
      for (const timeZone of ['UTC', 'Etc/UTC', 'America/New_York', 'Asia/Kolkata', 'US/Pacific']) {
        expect(() => cronJobIn(testChart(), { timeZone })).not.toThrow();
      }
    });

    test('fails when no namespace is set on the job or its chart', () => {
      expect(() => cronJobIn(new Chart(Testing.app(), 'bare'))).toThrow(/\[bare\/Cleanup\] 'namespace' \(unset\) must be set on the ScheduledJob or its Chart/);
    });
  });
});

/** The credentials of a managed database, from the store: an ExternalSecret with the keys the connection reads. */
function ordersCredentials(chart: Chart): SecretsBinding {
  return new SecretsBinding(chart, 'OrdersDb', {
    source: SecretSource.externalSecret({
      store: SecretStoreRef.cluster('aws-secrets-manager'),
      data: { username: { key: 'orders/db/username' }, password: { key: 'orders/db/password' } },
    }),
  });
}
