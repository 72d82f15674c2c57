import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Guardrails, GuardrailReport, RuleLevel } from '../../lib';
import { BUILTIN_RULES } from '../../lib/guardrails/rules';
import { includeFile } from '../util';

const FIXTURES = path.join(__dirname, 'fixtures');

/** Checks the objects of a fixture file, in a production app whose chart sets no namespace. */
function checkFixture(file: string): GuardrailReport {
  const app = Testing.app();
  includeFile(new Chart(app, 'fixture'), 'Objects', file);
  return Guardrails.apply(app).evaluate();
}

/** The `# expect: <message>` header of a failing fixture. */
function expectedMessage(file: string): string {
  const header = fs.readFileSync(file, 'utf8').split('\n')[0];
  const match = /^# expect: (.+)$/.exec(header);
  if (match === null) {
    throw new Error(`${file} starts without '# expect: <message>'`);
  }
  return match[1];
}

describe('built-in rules', () => {
  test('every rule has a passing and a failing fixture, and every fixture belongs to a rule', () => {
    const ids = BUILTIN_RULES.map((r) => r.id).sort();
    expect(fs.readdirSync(FIXTURES).sort()).toEqual(ids);
    for (const id of ids) {
      expect(fs.readdirSync(path.join(FIXTURES, id)).sort()).toEqual(['fail.yaml', 'pass.yaml']);
    }
  });

  test('docs/guardrails.md lists every rule with its default level', () => {
    const docs = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'guardrails.md'), 'utf8');
    for (const rule of BUILTIN_RULES) {
      expect(docs).toContain(`| \`${rule.id}\` | ${rule.rule.replace(/\|/g, '\\|')} | `);
      expect(docs).toMatch(new RegExp(`\\| \`${rule.id}\` \\|.*\\| ${rule.level}( \\((production only|every tier)\\))? \\|`));
    }
  });

  test('rule ids are unique', () => {
    expect(new Set(BUILTIN_RULES.map((r) => r.id)).size).toBe(BUILTIN_RULES.length);
  });

  describe.each(BUILTIN_RULES.map((r) => [r.id, r.level]))('%s', (id, level) => {
    test('passes its passing fixture', () => {
      // WHEN
      const report = checkFixture(path.join(FIXTURES, id, 'pass.yaml'));
      // THEN
      expect(report.findings.filter((f) => f.rule.id === id).map((f) => f.message)).toEqual([]);
    });

    test('fails its failing fixture with the expected message, at its level', () => {
      // GIVEN
      const file = path.join(FIXTURES, id, 'fail.yaml');
      // WHEN
      const report = checkFixture(file);
      // THEN
      const findings = level === RuleLevel.ERROR ? report.errors : report.warnings;
      const messages = findings.filter((f) => f.rule.id === id).map((f) => f.message);
      expect(messages).toContain(expectedMessage(file));
    });
  });
});

describe('no-secret-literals', () => {
  test('reports what the constructs refuse, and never the values', () => {
    // GIVEN
    const values = {
      VAULT_SECRET_ID: 's.Xq3f9Lw2',
      JWTSecret: 'change-me-now',
      REDIS_URL: 'redis://:hunter2@redis:6379/0',
      'application.yaml': 'datasource:\n  url: jdbc:postgresql://app:s3cret-pw@db:5432/app\n',
    };
    const app = Testing.app();
    const chart = new Chart(app, 'leaky', { namespace: 'test' });
    new ApiObject(chart, 'Pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'app' },
      spec: {
        containers: [{
          name: 'app',
          image: 'example/app:1.0.0',
          env: ['VAULT_SECRET_ID', 'JWTSecret', 'REDIS_URL'].map((name) => ({ name, value: values[name as keyof typeof values] })),
        }],
      },
    });
    new ApiObject(chart, 'Config', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'config' },
      data: { 'application.yaml': values['application.yaml'] },
    });
    // WHEN
    const report = Guardrails.apply(app).evaluate();
    // THEN
    expect(report.findings.filter((f) => f.rule.id === 'no-secret-literals').map((f) => f.message)).toEqual([
      'env VAULT_SECRET_ID of container \'app\' looks like a credential and must not be a literal value',
      'env JWTSecret of container \'app\' looks like a credential and must not be a literal value',
      'env REDIS_URL of container \'app\' holds a URL with a password',
      'key \'application.yaml\' holds a URL with a password',
    ]);
    const written = report.summary() + JSON.stringify(report.toSarif());
    for (const secret of ['s.Xq3f9Lw2', 'change-me-now', 'hunter2', 's3cret-pw']) {
      expect(written).not.toContain(secret);
    }
  });
});

describe('secret-env', () => {
  test('reports each Secret read into the environment, by key and by envFrom, as a warning, not an error', () => {
    // WHEN
    const report = checkFixture(path.join(FIXTURES, 'secret-env', 'fail.yaml'));

    // THEN
    expect(report.errors.filter((f) => f.rule.id === 'secret-env')).toEqual([]);
    expect(report.warnings.filter((f) => f.rule.id === 'secret-env').map((f) => f.message)).toEqual([
      'container \'app\' reads key \'password\' of Secret \'db\' into env DB_PASSWORD',
      'container \'app\' loads every key of Secret \'api-keys\' into its environment (envFrom)',
    ]);
  });
});

describe('postgres and placeholder rules', () => {
  /** The findings of `rule` for `object`, in a production chart. */
  function findingsOf(rule: string, object: Record<string, unknown>): string[] {
    const app = Testing.app();
    new ApiObject(new Chart(app, 'rules', { namespace: 'test' }), 'Object', object as any);
    return Guardrails.apply(app).evaluate().errors.filter((f) => f.rule.id === rule).map((f) => f.message);
  }
  const cluster = (spec: object) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'db' }, spec: { instances: 3, ...spec } });

  test('postgres-synchronous counts the older minSyncReplicas as synchronous replication', () => {
    expect(findingsOf('postgres-synchronous', cluster({ minSyncReplicas: 1, maxSyncReplicas: 1 }))).toEqual([]);
    expect(findingsOf('postgres-synchronous', cluster({ postgresql: { synchronous: { method: 'any', number: 0 } } })))
      .toEqual(['replicates asynchronously: no commit waits for a standby']);
  });

  test('postgres-quorum-survives-loss accepts preferred durability, with which writes go on without standbys', () => {
    expect(findingsOf('postgres-quorum-survives-loss', cluster({ postgresql: { synchronous: { method: 'any', number: 2, dataDurability: 'preferred' } } })))
      .toEqual([]);
    expect(findingsOf('postgres-quorum-survives-loss', cluster({ instances: 2, postgresql: { synchronous: { method: 'first', number: 1 } } })))
      .toEqual(['waits for 1 synchronous standby of 2 instances with required durability: losing one standby stops all writes']);
  });

  test('postgres-pooler-ha reads a Pooler without instances as one pod', () => {
    const pooler = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Pooler', metadata: { name: 'db-pooler' }, spec: { cluster: { name: 'db' }, type: 'rw' } };
    expect(findingsOf('postgres-pooler-ha', pooler)).toEqual(['runs 1 instance']);
  });

  test('no-placeholder-secrets flags a ClusterSecretStore too, and a fake provider without data', () => {
    const store = { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'placeholders' }, spec: { provider: { fake: {} } } };
    expect(findingsOf('no-placeholder-secrets', store)).toEqual(['serves placeholder values from the fake provider']);
  });
});

describe('job and StatefulSet rules', () => {
  /** The error findings of `rule` for `objects`, in a production chart of namespace `test`. */
  function findingsOf(rule: string, ...objects: Array<Record<string, unknown>>): string[] {
    const app = Testing.app();
    const chart = new Chart(app, 'rules', { namespace: 'test' });
    objects.forEach((object, i) => new ApiObject(chart, `Object${i}`, object as any));
    return Guardrails.apply(app).evaluate().errors.filter((f) => f.rule.id === rule).map((f) => f.message);
  }
  const pod = (extra: object = {}) => ({ metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'example/x:1.0.0' }], ...extra } });
  const job = (spec: object, podExtra: object = { restartPolicy: 'Never' }) => ({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'job' }, spec: { template: pod(podExtra), ...spec },
  });
  const cronJob = (spec: object, jobSpec: object = {}) => ({
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cron' },
    spec: { schedule: '@daily', startingDeadlineSeconds: 60, jobTemplate: { spec: { template: pod({ restartPolicy: 'Never' }), ...jobSpec } }, ...spec },
  });
  const statefulSet = (spec: object) => ({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'store' }, spec: { selector: { matchLabels: { app: 'x' } }, template: pod(), ...spec },
  });
  const service = (name: string, spec: object) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { ports: [{ port: 80 }], ...spec } });

  test('job-restart-policy: a Job whose pods restart Always, and a CronJob whose pods set nothing', () => {
    expect(findingsOf('job-restart-policy', job({ ttlSecondsAfterFinished: 60 }, { restartPolicy: 'Always' }))).toEqual([
      'pod restartPolicy is Always: the API server refuses it in a Job',
    ]);
    expect(findingsOf('job-restart-policy', cronJob({}, { template: pod() }))).toEqual([
      'pod sets no restartPolicy, which defaults to Always: the API server refuses it in a Job',
    ]);
    expect(findingsOf('job-restart-policy', job({ ttlSecondsAfterFinished: 60 }, { restartPolicy: 'OnFailure' }))).toEqual([]);
  });

  test('job-ttl: a standalone Job without TTL, and a CronJob whose Jobs set one', () => {
    expect(findingsOf('job-ttl', job({}))).toEqual(['sets no ttlSecondsAfterFinished: the finished Job and its pods stay until someone deletes them']);
    expect(findingsOf('job-ttl', cronJob({}, { ttlSecondsAfterFinished: 600 }))).toEqual([
      'jobTemplate sets ttlSecondsAfterFinished (600), which deletes finished Jobs regardless of successfulJobsHistoryLimit and failedJobsHistoryLimit',
    ]);
    expect(findingsOf('job-ttl', job({ ttlSecondsAfterFinished: 0 }), cronJob({}))).toEqual([]);
  });

  test('cronjob-starting-deadline: none, and one shorter than the controller\'s 10 s', () => {
    expect(findingsOf('cronjob-starting-deadline', cronJob({ startingDeadlineSeconds: undefined }))).toEqual([
      'sets no startingDeadlineSeconds: after more than 100 missed runs the controller stops starting it',
    ]);
    expect(findingsOf('cronjob-starting-deadline', cronJob({ startingDeadlineSeconds: 5 }))).toEqual([
      'sets startingDeadlineSeconds to 5, below the 10 s between the controller\'s looks at it: runs may never start',
    ]);
  });

  test('statefulset-headless-service: no serviceName, a Service not in the app, not headless, selecting other pods or nothing', () => {
    expect(findingsOf('statefulset-headless-service', statefulSet({}))).toEqual(['sets no spec.serviceName: its pods get no stable DNS names']);
    expect(findingsOf('statefulset-headless-service', statefulSet({ serviceName: 'store' }))).toEqual([
      'names Service \'store\' as its governing Service, which is not in the app',
    ]);
    expect(findingsOf('statefulset-headless-service', statefulSet({ serviceName: 'store' }), service('store', { selector: { app: 'other' } }))).toEqual([
      'names Service \'store\', which is not headless (clusterIP: None)',
      'names Service \'store\', which does not select its pods',
    ]);
    expect(findingsOf('statefulset-headless-service', statefulSet({ serviceName: 'store' }), service('store', { clusterIP: 'None' }))).toEqual([
      'names Service \'store\', which does not select its pods',
    ]);
    expect(findingsOf('statefulset-headless-service', statefulSet({ serviceName: 'store' }), service('store', { clusterIP: 'None', selector: { app: 'x' } }))).toEqual([]);
  });

  test('statefulset-claims-retained: claims deleted with the StatefulSet or on scale-down; a StatefulSet without claims has none to keep', () => {
    const claims = { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] };
    expect(findingsOf('statefulset-claims-retained', statefulSet({ ...claims, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } })))
      .toEqual([
        'deletes its claims when it is deleted (persistentVolumeClaimRetentionPolicy.whenDeleted: Delete)',
        'deletes its claims when it scales down (persistentVolumeClaimRetentionPolicy.whenScaled: Delete)',
      ]);
    expect(findingsOf('statefulset-claims-retained', statefulSet({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete' } }))).toEqual([]);
  });

  test('network-policy-coverage looks at the pods of a CronJob\'s job template, and a disruption budget does not count a Job\'s pods as replicas', () => {
    const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { podSelector: { matchLabels: { app: 'x' } }, policyTypes: ['Ingress', 'Egress'] } };
    expect(findingsOf('network-policy-coverage', cronJob({}))).toEqual(['pods have no NetworkPolicy restricting ingress and egress']);
    expect(findingsOf('network-policy-coverage', cronJob({}), policy)).toEqual([]);
    const budget = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'x' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'x' } } } };
    expect(findingsOf('pdb-allows-drain', job({ ttlSecondsAfterFinished: 60 }), budget)).toEqual([]);
  });

  test('probes, replicas and spreading leave Jobs and CronJobs alone: they run to completion, one pod at a time', () => {
    for (const rule of ['probes', 'replicas', 'replicated-spread']) {
      expect(findingsOf(rule, job({ ttlSecondsAfterFinished: 60 }), cronJob({}))).toEqual([]);
    }
  });
});
