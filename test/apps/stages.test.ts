import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Platform } from '../../apps/platform';
import { DEV, PROD, StageConfig } from '../../apps/stages';
import { parsePromql } from '../promql';
import { Manifest, ofKind, one } from '../util';

function synthStage(stage: StageConfig): Manifest[] {
  return Testing.synth(new Platform(Testing.app(), 'platform', stage)) as Manifest[];
}

describe('stage apps', () => {
  test('dev matches the snapshot', () => {
    expect(synthStage(DEV)).toMatchSnapshot();
  });

  test('prod matches the snapshot', () => {
    expect(synthStage(PROD)).toMatchSnapshot();
  });

  test('dev runs one replica of each service, without autoscaler or disruption budget', () => {
    const dev = synthStage(DEV);
    for (const deployment of ofKind(dev, 'Deployment')) {
      expect(deployment.spec.replicas).toBe(1);
    }
    expect(ofKind(dev, 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(ofKind(dev, 'PodDisruptionBudget')).toHaveLength(0);
  });

  test('prod autoscales every service from at least 2 replicas and protects it with a disruption budget', () => {
    const prod = synthStage(PROD);
    const deployments = ofKind(prod, 'Deployment');
    expect(deployments.length).toBeGreaterThanOrEqual(2);
    for (const deployment of deployments) {
      const hpa = one(prod, 'HorizontalPodAutoscaler', deployment.metadata.name);
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(one(prod, 'PodDisruptionBudget', deployment.metadata.name).spec.maxUnavailable).toBe(1);
    }
  });

  test('dev and prod pods have the same security context: every pod of both stages, the IDE and its sign-in proxy included', () => {
    const securityOf = (manifests: Manifest[]) => [...new Set(ofKind(manifests, 'Deployment').map((d) => JSON.stringify({
      pod: d.spec.template.spec.securityContext,
      containers: d.spec.template.spec.containers.map((c: any) => c.securityContext),
      token: d.spec.template.spec.automountServiceAccountToken,
    })))];
    const dev = synthStage(DEV);
    expect(ofKind(dev, 'Deployment').map((d) => d.metadata.name)).toEqual(expect.arrayContaining(['aishell-ide', 'aishell-ide-sign-in']));
    expect(securityOf(dev)).toHaveLength(1);
    expect(securityOf(dev)).toEqual(securityOf(synthStage(PROD)));
  });

  test('the Secret the backups authenticate with is produced by the stage: an ExternalSecret with the keys the ObjectStore reads', () => {
    // plugin-barman-cloud v0.14.0 reads the Secrets named in ObjectStore.spec.configuration from the Cluster's namespace
    // (internal/cnpgi/operator/specs/secrets.go, CollectSecretNamesFromCredentials; config/config.go).
    const prod = synthStage(PROD);
    const credentials = one(prod, 'ObjectStore', 'aishell-db').spec.configuration.s3Credentials;
    const refs = [credentials.accessKeyId, credentials.secretAccessKey];
    const externalSecret = one(prod, 'ExternalSecret', refs[0].name);
    expect(externalSecret.metadata.namespace).toBe(PROD.namespace);
    expect(externalSecret.spec.target.name).toBe(refs[0].name);
    expect(refs.map((ref: any) => ref.name)).toEqual([refs[0].name, refs[0].name]);
    expect(refs.map((ref: any) => ref.key).every((key: string) => externalSecret.spec.data.some((d: any) => d.secretKey === key))).toBe(true);
  });

  test('dev runs one database instance without backups; prod three synchronous instances backed up to the stage\'s store', () => {
    const devCluster = one(synthStage(DEV), 'Cluster', 'aishell-db');
    expect(devCluster.spec.instances).toBe(1);
    expect(devCluster.spec.plugins).toBeUndefined();
    expect(ofKind(synthStage(DEV), 'ScheduledBackup')).toHaveLength(0);

    const prod = synthStage(PROD);
    const prodCluster = one(prod, 'Cluster', 'aishell-db');
    expect(prodCluster.spec.instances).toBe(3);
    expect(prodCluster.spec.postgresql.synchronous).toMatchObject({ method: 'any', number: 1, dataDurability: 'required' });
    expect(prodCluster.spec.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'aishell-db' } }]);
    const store = one(prod, 'ObjectStore', 'aishell-db').spec;
    expect(store.configuration.destinationPath).toBe('s3://aishell-prod-backups/postgres');
    expect(one(prod, 'ScheduledBackup', 'aishell-db').spec.method).toBe('plugin');
    expect(ofKind(prod, 'PrometheusRule').map((r) => r.metadata.name)).toContain('aishell-db');
  });

  test('both services reach the database with the operator\'s credentials as files, through the pooler in prod', () => {
    for (const [stage, host, peer] of [
      [DEV, 'aishell-db-rw.aishell-dev.svc', { 'cnpg.io/cluster': 'aishell-db', 'cnpg.io/podRole': 'instance' }],
      [PROD, 'aishell-db-pooler.aishell.svc', { 'cnpg.io/poolerName': 'aishell-db-pooler' }],
    ] as const) {
      const manifests = synthStage(stage);
      for (const name of ['aishell', 'aishell-worker']) {
        const pod = one(manifests, 'Deployment', name).spec.template.spec;
        const env = pod.containers[0].env;
        expect(env).toContainEqual({ name: 'PGHOST', value: host });
        expect(env).toContainEqual({ name: 'PGUSER', value: 'aishell' });
        expect(env).toContainEqual({ name: 'PGPASSWORD_FILE', value: '/var/run/secrets/postgres/aishell-db/password' });
        expect(pod.volumes).toContainEqual({
          name: 'aishell-db-credentials',
          secret: { secretName: 'aishell-db-app', defaultMode: 0o400, items: [{ key: 'username', path: 'username' }, { key: 'password', path: 'password' }] },
        });
        expect(pod.containers[0].volumeMounts).toContainEqual({
          name: 'aishell-db-credentials', mountPath: '/var/run/secrets/postgres/aishell-db', readOnly: true,
        });
        expect(one(manifests, 'NetworkPolicy', name).spec.egress).toContainEqual({
          to: [{ podSelector: { matchLabels: peer } }], ports: [{ port: 5432, protocol: 'TCP' }],
        });
      }
    }
  });

  test('no stage writes a Secret with data, neither when synthesized nor in the committed dist/', () => {
    for (const stage of [DEV, PROD]) {
      const folder = path.join(__dirname, '..', '..', 'dist', stage.name);
      const committed = fs.readdirSync(folder).filter((f) => f.endsWith('.k8s.yaml'))
        .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(folder, f), 'utf8')).map((d) => d.toJS() as Manifest));
      expect(committed.length).toBeGreaterThan(0);
      for (const manifests of [synthStage(stage), committed]) {
        const withValues = ofKind(manifests, 'Secret').filter((s) => s.data !== undefined || s.stringData !== undefined);
        expect(withValues.map((s) => s.metadata.name)).toEqual([]);
      }
    }
  });

  test('each stage reads the credentials through ExternalSecrets from the store named in its config', () => {
    for (const [stage, names] of [
      [DEV, ['aishell-app-secrets', 'aishell-ide-sign-in', 'aishell-llm-keys', 'aishell-registry']],
      [PROD, ['aishell-app-secrets', 'aishell-db-backup-credentials', 'aishell-llm-keys', 'aishell-registry']],
    ] as const) {
      // The Redis password is generated in the cluster (External Secrets' Password generator): no store key.
      const all = ofKind(synthStage(stage), 'ExternalSecret');
      const generated = all.filter((es) => es.spec.dataFrom?.[0]?.sourceRef?.generatorRef !== undefined);
      expect(generated.map((es) => `${es.metadata.name} <- ${es.spec.dataFrom[0].sourceRef.generatorRef.kind}`)).toEqual(['aishell-redis-password <- Password']);
      const externalSecrets = all.filter((es) => !generated.includes(es));
      expect(externalSecrets.map((es) => es.metadata.name).sort()).toEqual(names);
      for (const es of externalSecrets) {
        expect(es.spec.secretStoreRef).toEqual({ kind: stage.secrets.store.kind, name: stage.secrets.store.name });
        for (const entry of es.spec.data) {
          expect(entry.remoteRef.key.startsWith(`${stage.secrets.keyPrefix}/`)).toBe(true);
        }
      }
    }
    expect(PROD.secrets.store.name).toBe('aws-secrets-manager');
  });

  test('the api gets every credential and the worker only the LLM keys, all as read-only files and none in the environment', () => {
    const secretFiles = (manifests: Manifest[], deployment: string) => {
      const pod = one(manifests, 'Deployment', deployment).spec.template.spec;
      const mountPaths = Object.fromEntries(pod.containers[0].volumeMounts.map((m: any) => [m.name, m]));
      return Object.fromEntries(pod.volumes
        .filter((v: any) => v.secret?.secretName.startsWith('aishell-') && !v.secret.secretName.startsWith('aishell-db-'))
        .map((v: any) => {
          expect(v.secret.defaultMode).toBe(0o400);
          expect(mountPaths[v.name].readOnly).toBe(true);
          return [mountPaths[v.name].mountPath, { secret: v.secret.secretName, files: v.secret.items.map((i: any) => i.path) }];
        }));
    };
    for (const stage of [DEV, PROD]) {
      const manifests = synthStage(stage);
      const llmKeys = { secret: 'aishell-llm-keys', files: ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'] };
      const redis = { '/var/run/secrets/redis/aishell-redis': { secret: 'aishell-redis-password', files: ['password'] } };
      expect(secretFiles(manifests, 'aishell')).toEqual({
        '/var/run/secrets/aishell/llm-keys': llmKeys,
        '/var/run/secrets/aishell/app': { secret: 'aishell-app-secrets', files: ['SECRET_KEY', 'JWT_SECRET'] },
        ...redis,
      });
      expect(secretFiles(manifests, 'aishell-worker')).toEqual({ '/var/run/secrets/aishell/llm-keys': llmKeys, ...redis });
      for (const deployment of ofKind(manifests, 'Deployment')) {
        for (const container of deployment.spec.template.spec.containers) {
          expect((container.env ?? []).filter((e: any) => e.valueFrom?.secretKeyRef !== undefined || e.name.includes('SECRET'))).toEqual([]);
          expect((container.envFrom ?? []).filter((e: any) => e.secretRef !== undefined)).toEqual([]);
        }
      }
    }
  });

  test('every namespaced object of a stage lives in the stage namespace, and cluster-scoped ones in none', () => {
    const clusterScoped = ['Namespace', 'ClusterIssuer'];
    for (const stage of [DEV, PROD]) {
      for (const m of synthStage(stage)) {
        const expected = clusterScoped.includes(m.kind) ? undefined : stage.namespace;
        expect(`${m.kind}/${m.metadata.name} in ${m.metadata.namespace}`).toBe(`${m.kind}/${m.metadata.name} in ${expected}`);
      }
    }
  });

  test('every stage carries the platform alerts and, for each service, its alerts and a dashboard', () => {
    for (const stage of [DEV, PROD]) {
      const manifests = synthStage(stage);
      const deployments = ofKind(manifests, 'Deployment').map((d) => d.metadata.name);
      expect(ofKind(manifests, 'PrometheusRule').map((r) => r.metadata.name).sort()).toEqual(['aishell-db', 'aishell-redis', 'platform-alerts', ...deployments].sort());
      // The database and the cache watch themselves with their exporters' metrics; the platform rule does not duplicate them,
      // and has no task alert: no task-metrics exporter runs.
      const platformAlerts = one(manifests, 'PrometheusRule', 'platform-alerts').spec.groups[0].rules.map((r: any) => r.alert);
      expect(platformAlerts).toEqual(['PodCrashLooping', 'PersistentVolumeFillingUp']);
      expect(one(manifests, 'PrometheusRule', 'aishell-redis').spec.groups[0].rules.map((r: any) => `${r.alert} ${r.labels.severity}`))
        .toEqual(expect.arrayContaining(stage.cache.nodes > 1 ? ['RedisMasterMissing critical', 'RedisDown warning'] : ['RedisDown critical']));
      for (const name of deployments) {
        expect(one(manifests, 'ConfigMap', `${name}-dashboard`).metadata.labels.grafana_dashboard).toBe('1');
      }
      for (const rule of ofKind(manifests, 'PrometheusRule').flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules))) {
        expect(parsePromql(rule.expr).errors).toEqual([]);
        expect(rule.expr).toContain(`namespace="${stage.namespace}"`);
        expect(rule.annotations.runbook_url).toBe(`${stage.runbookBaseUrl}/${rule.alert.toLowerCase()}`);
      }
    }
  });

  test('dev serves the API on the dev host through its own Gateway, with a Let\'s Encrypt staging certificate', () => {
    const dev = synthStage(DEV);
    const route = one(dev, 'HTTPRoute', 'aishell-aishell-dev-example-com');
    expect(route.spec.hostnames).toEqual(['aishell.dev.example.com']);
    expect(route.spec.rules[0].backendRefs).toEqual([{ name: 'aishell', port: 80 }]);
    expect(one(dev, 'Gateway', 'aishell').spec.listeners.map((l: any) => `${l.protocol}/${l.port} ${l.hostname ?? '*'}`))
      .toEqual(['HTTP/80 *', 'HTTPS/443 aishell.dev.example.com', 'HTTPS/443 ide.aishell.dev.example.com']);
    expect(one(dev, 'ClusterIssuer', 'letsencrypt-staging').spec.acme.server).toMatch(/acme-staging-v02/);
    expect(ofKind(dev, 'Certificate').map((c) => c.spec.issuerRef.name)).toEqual(['letsencrypt-staging', 'letsencrypt-staging']);
    expect(ofKind(dev, 'Ingress')).toHaveLength(0);
  });

  test('prod serves the API on the prod host through an Ingress with rate limits and a Let\'s Encrypt certificate', () => {
    const prod = synthStage(PROD);
    const ingress = one(prod, 'Ingress', 'aishell');
    expect(ingress.spec.rules.map((r: any) => r.host)).toEqual(['aishell.example.com']);
    expect(ingress.spec.tls).toEqual([{ hosts: ['aishell.example.com'], secretName: 'aishell-example-com-tls' }]);
    expect(ingress.metadata.annotations).toMatchObject({ 'haproxy.org/rate-limit-requests': '100', 'haproxy.org/ssl-redirect': 'true' });
    expect(one(prod, 'ClusterIssuer', 'letsencrypt-prod').spec.acme.server).toBe('https://acme-v02.api.letsencrypt.org/directory');
    expect(one(prod, 'Certificate').spec.issuerRef.name).toBe('letsencrypt-prod');
  });

  test('only the API, and in dev the IDE\'s sign-in proxy, are reachable from the ingress, each on its container port', () => {
    for (const [stage, reachable] of [
      [DEV, { 'aishell': 8000, 'aishell-acme-http01-solver': 8089, 'aishell-ide-sign-in': 4180 }],
      [PROD, { 'aishell': 8000, 'aishell-acme-http01-solver': 8089 }],
    ] as const) {
      const manifests = synthStage(stage);
      const controller = stage.ingress.controller.peer.toPolicyPeer(stage.namespace);
      const admitting = Object.fromEntries(ofKind(manifests, 'NetworkPolicy').flatMap((p) => (p.spec.ingress ?? [])
        .filter((rule: any) => rule.from.some((peer: any) => isDeepStrictEqual(peer, controller)))
        .map((rule: any) => [p.metadata.name, rule.ports.map((port: any) => port.port).join(',')])));
      expect(admitting).toEqual(Object.fromEntries(Object.entries(reachable).map(([name, port]) => [name, String(port)])));
    }
  });

  test('keeps what holds data when the manifests are pruned: the objects the README tells kubectl users to leave out of a delete', () => {
    // argo-cd v3.5.0 docs/user-guide/sync-options.md (Prune=false,Delete=false); kustomize-controller v1.9.4
    // docs/spec/v1/kustomizations.md (kustomize.toolkit.fluxcd.io/prune: disabled), both in lib/core/protection.ts.
    const kept = (stage: StageConfig) => synthStage(stage)
      .filter((m) => m.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune'] === 'disabled')
      .map((m) => {
        expect(m.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
        return `${m.kind} ${m.metadata.name}`;
      });
    // The registry credentials too: a kept Cluster or Redis pulls its images with them when it creates a pod again; and the
    // generator and ExternalSecret of the Redis password, which a kept Redis restarts with.
    const redis = ['ExternalSecret aishell-redis-password', 'Password aishell-redis-password'];
    expect(kept(DEV).sort()).toEqual(['Cluster aishell-db', 'ExternalSecret aishell-registry', 'Namespace aishell-dev', 'Redis aishell-redis', ...redis].sort());
    expect(kept(PROD).sort()).toEqual([
      'Cluster aishell-db', 'ExternalSecret aishell-db-backup-credentials', 'ExternalSecret aishell-registry', 'Namespace aishell', 'ObjectStore aishell-db',
      'RedisReplication aishell-redis', ...redis,
    ].sort());
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain('In this repository\'s prod stage they are the Namespace `aishell`, the `Cluster` and the `ObjectStore`\n`aishell-db`, '
      + 'the `ExternalSecret`s `aishell-db-backup-credentials` and `aishell-registry`, the `RedisReplication` `aishell-redis`, and the\n'
      + '`Password` generator and the `ExternalSecret` `aishell-redis-password` of its password; in the dev stage, the Namespace\n'
      + '`aishell-dev`, the `Cluster` `aishell-db`, the `ExternalSecret` `aishell-registry`, the `Redis` `aishell-redis` and its\n'
      + 'password\'s `Password` and `ExternalSecret`.');
  });

  test('the migrations run as a Job per release, connected to the database, written before the services they prepare', () => {
    for (const stage of [DEV, PROD]) {
      const manifests = synthStage(stage);
      const job = one(manifests, 'Job');
      expect(job.metadata.name).toMatch(/^aishell-migrate-[0-9a-f]{10}$/);
      const pod = job.spec.template.spec;
      expect(pod.containers[0].args).toEqual(['migrate']);
      expect(pod.restartPolicy).toBe('Never');
      expect(pod.containers[0].env.map((e: any) => e.name)).toContain('PGPASSWORD_FILE');
      expect(one(manifests, 'NetworkPolicy', 'aishell-migrate').spec.ingress).toBeUndefined();
      const order = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
      expect(order.indexOf('Cluster/aishell-db')).toBeLessThan(order.indexOf(`Job/${job.metadata.name}`));
      for (const service of ['Deployment/aishell', 'Deployment/aishell-worker']) {
        expect(order.indexOf(`Job/${job.metadata.name}`)).toBeLessThan(order.indexOf(service));
      }
    }
  });

  test('a new image is a new migrations Job: a Job\'s pod template cannot change in place', () => {
    const jobName = (imageTag: string) => one(synthStage({ ...PROD, imageTag }), 'Job').metadata.name;
    expect(jobName('2.0.1')).not.toBe(jobName('2.0.0'));
  });

  test('a nightly CronJob deletes the audit records older than the stage keeps, one run at a time', () => {
    for (const stage of [DEV, PROD]) {
      const cronJob = one(synthStage(stage), 'CronJob', 'aishell-audit-prune');
      expect(cronJob.spec).toMatchObject({ schedule: '30 3 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300 });
      const container = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
      expect(container.args).toEqual(['audit', 'prune', '--older-than-days', String(stage.jobs.auditRetentionDays)]);
      expect(container.env.map((e: any) => e.name)).toContain('PGHOST');
    }
    expect([DEV.jobs.auditRetentionDays, PROD.jobs.auditRetentionDays]).toEqual([30, 365]);
  });
});
