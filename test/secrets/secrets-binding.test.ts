import { App, Chart, Duration, Testing } from 'cdk8s';
import {
  CreationPolicy, ExternalSecretOptions, ExternalService, Guardrails, Image, Prerequisite, ProductionApp, SealingScope, SecretMount, SecretSource, SecretStoreRef,
  SecretsBinding, SecretsBindingProps, TemplateMergePolicy, Tier, setTier,
} from '../../lib';
import { Manifest, ofKind, one, synth, testChart } from '../util';

/** Looks like kubeseal output (base64, longer than any sealed value): the tests never see real ciphertext. */
const SEALED = `Ag${'B'.repeat(398)}`;
const OTHER_SEALED = `Ag${'C'.repeat(398)}`;
const STORE = SecretStoreRef.cluster('aws-secrets-manager');

/** A chart of `tier` in an app checked by the guardrails. */
function guardedChart(tier: Tier): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace: 'test', disableResourceNameHashes: true });
  setTier(chart, tier);
  Guardrails.apply(app);
  return { app, chart };
}

function newApp(chart: Chart, id = 'Api', namespace?: string): ProductionApp {
  return new ProductionApp(chart, id, { image: Image.pinned('ghcr.io/acme/api', '1.2.3'), namespace });
}

function external(options: Partial<ExternalSecretOptions> = {}): SecretSource {
  return SecretSource.externalSecret({
    store: STORE,
    data: { JWT_SECRET: { key: 'acme/prod/jwt-secret' }, API_TOKEN: { key: 'acme/prod/api', property: 'token' } },
    ...options,
  });
}

function container(manifests: Manifest[], name = 'api'): any {
  return one(manifests, 'Deployment', name).spec.template.spec.containers[0];
}

function podTemplate(manifests: Manifest[], name = 'api'): any {
  return one(manifests, 'Deployment', name).spec.template;
}

describe('SecretsBinding', () => {
  describe('ExternalSecret source', () => {
    test('reads each key from the store and lets the operator own the Secret', () => {
      // GIVEN
      const chart = testChart();
      // WHEN
      new SecretsBinding(chart, 'ApiSecrets', { source: external() });
      // THEN
      const manifests = synth(chart);
      const es = one(manifests, 'ExternalSecret', 'api-secrets');
      expect(es.apiVersion).toBe('external-secrets.io/v1');
      expect(es.metadata.namespace).toBe('test');
      expect(es.spec).toEqual({
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'aws-secrets-manager' },
        refreshInterval: '1h',
        target: { name: 'api-secrets', creationPolicy: 'Owner' },
        data: [
          { secretKey: 'JWT_SECRET', remoteRef: { key: 'acme/prod/jwt-secret' } },
          { secretKey: 'API_TOKEN', remoteRef: { key: 'acme/prod/api', property: 'token' } },
        ],
      });
      expect(ofKind(manifests, 'Secret')).toHaveLength(0);
    });

    test('declares the operator, the store and every key it reads in the store\'s backend', () => {
      // GIVEN
      const chart = testChart();
      // WHEN
      new SecretsBinding(chart, 'Api', { source: external({
        dataFrom: [{ from: { key: 'acme/prod/db' }, keys: ['DB_USER', 'DB_PASSWORD'] }],
      }) });
      // THEN
      expect(Prerequisite.declaredIn(chart).map((d) => [d.prerequisite.title, d.prerequisite.reason])).toEqual([
        ['External Secrets Operator 2.9', 'syncs the ExternalSecrets into Secrets'],
        ['ClusterSecretStore aws-secrets-manager', 'the ExternalSecrets read their values through it; it admits namespace test'],
        ['ClusterSecretStore aws-secrets-manager: acme/prod/jwt-secret', 'ExternalSecret test/api reads it into key JWT_SECRET'],
        ['ClusterSecretStore aws-secrets-manager: acme/prod/api (property token)', 'ExternalSecret test/api reads it into key API_TOKEN'],
        ['ClusterSecretStore aws-secrets-manager: acme/prod/db', 'ExternalSecret test/api reads it: a JSON object with the properties DB_USER, DB_PASSWORD'],
      ]);
    });

    test('keepOnPrune keeps the ExternalSecret, and with it the Secret it owns, when Argo CD or Flux prune the manifests', () => {
      const chart = testChart();
      new SecretsBinding(chart, 'Api', { source: external() }).keepOnPrune();
      expect(one(synth(chart), 'ExternalSecret').metadata.annotations).toEqual({
        'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        'kustomize.toolkit.fluxcd.io/prune': 'disabled',
      });
    });

    test('references a namespaced SecretStore by kind', () => {
      const chart = testChart();
      new SecretsBinding(chart, 'ApiSecrets', { source: external({ store: SecretStoreRef.namespaced('vault') }) });
      expect(one(synth(chart), 'ExternalSecret').spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'vault' });
    });

    test('writes the refresh interval as a Go duration', () => {
      const chart = testChart();
      new SecretsBinding(chart, 'ApiSecrets', { source: external({ refreshInterval: Duration.minutes(90) }) });
      expect(one(synth(chart), 'ExternalSecret').spec.refreshInterval).toBe('1h30m');
    });

    test('extracts the properties of a structured secret and offers the declared ones', () => {
      // GIVEN
      const chart = testChart();
      const app = newApp(chart);
      // WHEN
      const secrets = new SecretsBinding(chart, 'Db', {
        source: SecretSource.externalSecret({
          store: STORE,
          dataFrom: [{ from: { key: 'acme/prod/db', version: 'AWSCURRENT' }, keys: ['username', 'password'] }],
        }),
      });
      secrets.bindTo(app, SecretMount.envAs({ DB_USER: 'username', DB_PASSWORD: 'password' }));
      // THEN
      const manifests = synth(chart);
      expect(one(manifests, 'ExternalSecret').spec.dataFrom).toEqual([{ extract: { key: 'acme/prod/db', version: 'AWSCURRENT' } }]);
      expect(secrets.keys).toEqual(['username', 'password']);
      expect(container(manifests).env).toContainEqual({
        name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password', optional: false } },
      });
    });

    test('a replacing template offers only its own keys', () => {
      const chart = testChart();
      const secrets = new SecretsBinding(chart, 'Db', {
        source: external({ template: { data: { DATABASE_URL: 'postgres://app:{{ .JWT_SECRET }}@db:5432/app' } } }),
      });
      expect(secrets.keys).toEqual(['DATABASE_URL']);
      expect(one(synth(chart), 'ExternalSecret').spec.target.template).toEqual({
        type: 'Opaque', mergePolicy: 'Replace', data: { DATABASE_URL: 'postgres://app:{{ .JWT_SECRET }}@db:5432/app' },
      });
    });

    test('a merging template offers its keys and the fetched ones', () => {
      const chart = testChart();
      const secrets = new SecretsBinding(chart, 'Db', {
        source: external({ template: { mergePolicy: TemplateMergePolicy.MERGE, data: { 'token.txt': '{{ .API_TOKEN }}' } } }),
      });
      expect(secrets.keys).toEqual(['JWT_SECRET', 'API_TOKEN', 'token.txt']);
    });

    test('passes the creation policy on', () => {
      const chart = testChart();
      new SecretsBinding(chart, 'ApiSecrets', { source: external({ creationPolicy: CreationPolicy.CREATE_OR_MERGE }) });
      expect(one(synth(chart), 'ExternalSecret').spec.target.creationPolicy).toBe('CreateOrMerge');
    });

    test('fails when no key is mapped', () => {
      expect(() => new SecretsBinding(testChart(), 'S', { source: external({ data: {} }) }))
        .toThrow(/\[test\/S\] 'source.data' \(\{\}\) must map at least one key/);
    });

    test('fails when a key is not a valid Secret key', () => {
      expect(() => new SecretsBinding(testChart(), 'S', { source: external({ data: { 'a/b': { key: 'x' } } }) }))
        .toThrow(/'source.data.a\/b' \('a\/b'\) must be a Secret key/);
    });

    test('fails when a remote key is empty', () => {
      expect(() => new SecretsBinding(testChart(), 'S', { source: external({ data: { A: { key: ' ' } } }) }))
        .toThrow(/'source.data.A.key' \(' '\) must name a secret of the store's backend/);
    });

    test('fails when an extraction declares no keys', () => {
      expect(() => new SecretsBinding(testChart(), 'S', { source: external({ dataFrom: [{ from: { key: 'x' }, keys: [] }] }) }))
        .toThrow(/'source.dataFrom\[0\].keys' \(\[\]\) must list the properties workloads may bind/);
    });

    test('fails when a key is mapped twice', () => {
      expect(() => new SecretsBinding(testChart(), 'S', { source: external({ dataFrom: [{ from: { key: 'x' }, keys: ['JWT_SECRET'] }] }) }))
        .toThrow(/'source.dataFrom\[0\].keys' \('JWT_SECRET'\) is mapped twice/);
    });

    test('fails when the refresh interval is under a minute', () => {
      expect(() => new SecretsBinding(testChart(), 'S', { source: external({ refreshInterval: Duration.seconds(10) }) }))
        .toThrow(/'source.refreshInterval' \('10s'\) must be a whole number of seconds, at least one minute/);
    });

    test('fails when the store name is invalid', () => {
      expect(() => new SecretsBinding(testChart(), 'S', { source: external({ store: SecretStoreRef.cluster('AWS_Store') }) }))
        .toThrow(/'source.store.name' \('AWS_Store'\) must be a DNS-1123 subdomain/);
    });

    test('fails when a template key holds a literal credential, without repeating it', () => {
      const make = () => new SecretsBinding(testChart(), 'S', { source: external({ template: { data: { password: 'hunter2' } } }) });
      expect(make).toThrow(/'source.template.data.password' \('<redacted>'\) looks like a credential/);
      expect(make).not.toThrow(/hunter2/);
    });
  });

  describe('SealedSecret source', () => {
    test('renders the ciphertext and the Secret template', () => {
      // GIVEN
      const chart = testChart();
      // WHEN
      new SecretsBinding(chart, 'Tls', { source: SecretSource.sealed({ encryptedData: { 'tls.key': SEALED }, type: 'kubernetes.io/tls' }) });
      // THEN
      const sealed = one(synth(chart), 'SealedSecret', 'tls');
      expect(sealed.apiVersion).toBe('bitnami.com/v1alpha1');
      expect(sealed.metadata.annotations).toBeUndefined();
      expect(sealed.spec.encryptedData).toEqual({ 'tls.key': SEALED });
      expect(sealed.spec.template.type).toBe('kubernetes.io/tls');
      expect(sealed.spec.template.metadata.labels['app.kubernetes.io/name']).toBe('tls');
    });

    test('declares the controller and the key the values were sealed with', () => {
      const chart = testChart();
      new SecretsBinding(chart, 'Tls', { source: SecretSource.sealed({ encryptedData: { 'tls.key': SEALED } }) });
      expect(Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title)).toEqual([
        'Sealed Secrets 0.36',
        'Sealed Secrets controller: holds the private key whose certificate sealed the values (kubeseal --fetch-cert of this cluster)',
      ]);
    });

    test('marks a namespace-wide seal', () => {
      const chart = testChart();
      new SecretsBinding(chart, 'Tls', { source: SecretSource.sealed({ encryptedData: { key: SEALED }, scope: SealingScope.NAMESPACE_WIDE }) });
      expect(one(synth(chart), 'SealedSecret').metadata.annotations).toEqual({ 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
    });

    test('fails when a value was not sealed, without repeating it', () => {
      const make = () => new SecretsBinding(testChart(), 'S', { source: SecretSource.sealed({ encryptedData: { password: 'aHVudGVyMg==' } }) });
      expect(make).toThrow(/'source.encryptedData.password' \('<redacted>'\) must be kubeseal output/);
      expect(make).not.toThrow(/aHVudGVyMg/);
    });

    test('fails when there is no key', () => {
      expect(() => new SecretsBinding(testChart(), 'S', { source: SecretSource.sealed({ encryptedData: {} }) }))
        .toThrow(/'source.encryptedData' \(\{\}\) must hold at least one key/);
    });
  });

  describe('development placeholders', () => {
    test('serve the values from a fake-provider SecretStore', () => {
      // GIVEN
      const chart = testChart();
      // WHEN
      new SecretsBinding(chart, 'ApiSecrets', { source: SecretSource.devPlaceholders({ JWT_SECRET: 'dev-only-placeholder' }) });
      // THEN
      const manifests = synth(chart);
      const store = one(manifests, 'SecretStore', 'api-secrets-placeholders');
      expect(store.spec.provider).toEqual({ fake: { data: [{ key: 'JWT_SECRET', value: 'dev-only-placeholder' }] } });
      const es = one(manifests, 'ExternalSecret', 'api-secrets');
      expect(es.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'api-secrets-placeholders' });
      expect(es.spec.data).toEqual([{ secretKey: 'JWT_SECRET', remoteRef: { key: 'JWT_SECRET' } }]);
      expect(ofKind(manifests, 'Secret')).toHaveLength(0);
    });

    test('fail a production synth: the no-placeholder-secrets guardrail refuses the fake-provider store', () => {
      const { app, chart } = guardedChart(Tier.PRODUCTION);
      new SecretsBinding(chart, 'S', { source: SecretSource.devPlaceholders({ A: 'x' }) });
      expect(() => app.synth()).toThrow(
        /\[test\/S\/Store\] SecretStore test\/s-placeholders violates guardrail no-placeholder-secrets: serves placeholder values from the fake provider \(keys A\)/);
    });

    test('are a warning in the development tier', () => {
      const { app, chart } = guardedChart(Tier.DEVELOPMENT);
      new SecretsBinding(chart, 'S', { source: SecretSource.devPlaceholders({ A: 'x' }) });
      const report = Guardrails.of(app)!.evaluate();
      expect(report.errors).toEqual([]);
      expect(report.warnings.map((f) => [f.rule.id, f.object.path])).toEqual([['no-placeholder-secrets', 'test/S/Store']]);
    });

    test('fails when there is no key', () => {
      expect(() => new SecretsBinding(testChart(), 'S', { source: SecretSource.devPlaceholders({}) }))
        .toThrow(/'source.values' \(\{\}\) must hold at least one key/);
    });
  });

  describe('bindTo', () => {
    test('mounts every key as read-only files of mode 0400, readable through the pod fsGroup', () => {
      // GIVEN
      const chart = testChart();
      const app = newApp(chart);
      const secrets = new SecretsBinding(chart, 'ApiSecrets', { source: external() });
      // WHEN
      secrets.bindTo(app, SecretMount.files('/var/run/secrets/api'));
      // THEN
      const template = podTemplate(synth(chart));
      expect(template.spec.volumes).toContainEqual({ name: 'api-secrets', secret: { secretName: 'api-secrets', defaultMode: 0o400 } });
      expect(template.spec.containers[0].volumeMounts).toContainEqual({ name: 'api-secrets', mountPath: '/var/run/secrets/api', readOnly: true });
      // The kubelet chowns secret volumes to the fsGroup and adds group read: the process's group must be that fsGroup.
      expect(template.spec.securityContext.fsGroup).toBe(template.spec.securityContext.runAsGroup);
    });

    test('mounts only the keys asked for', () => {
      const chart = testChart();
      const app = newApp(chart);
      new SecretsBinding(chart, 'ApiSecrets', { source: external() }).bindTo(app, SecretMount.files('/secrets', { keys: ['JWT_SECRET'] }));
      expect(podTemplate(synth(chart)).spec.volumes).toContainEqual({
        name: 'api-secrets', secret: { secretName: 'api-secrets', defaultMode: 0o400, items: [{ key: 'JWT_SECRET', path: 'JWT_SECRET' }] },
      });
    });

    test('sets environment variables by key, read by the kubelet', () => {
      const chart = testChart();
      const app = newApp(chart);
      new SecretsBinding(chart, 'ApiSecrets', { source: external() }).bindTo(app, SecretMount.env(['JWT_SECRET', 'API_TOKEN']));
      expect(container(synth(chart)).env).toEqual([
        { name: 'JWT_SECRET', valueFrom: { secretKeyRef: { name: 'api-secrets', key: 'JWT_SECRET', optional: false } } },
        { name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api-secrets', key: 'API_TOKEN', optional: false } } },
      ]);
    });

    test('annotates the pods with a checksum that changes with the binding', () => {
      const checksum = (source: SecretSource) => {
        const chart = testChart();
        const app = newApp(chart);
        new SecretsBinding(chart, 'ApiSecrets', { source }).bindTo(app, SecretMount.env(['JWT_SECRET']));
        return podTemplate(synth(chart)).metadata.annotations['secrets.cdk8s-golden-path/api-secrets'];
      };
      const sealed = (ciphertext: string) => SecretSource.sealed({ encryptedData: { JWT_SECRET: ciphertext } });

      expect(checksum(external())).toMatch(/^[0-9a-f]{16}$/);
      expect(checksum(external())).toBe(checksum(external()));
      expect(checksum(external({ data: { JWT_SECRET: { key: 'acme/prod/jwt-secret-v2' } } }))).not.toBe(checksum(external()));
      expect(checksum(sealed(OTHER_SEALED))).not.toBe(checksum(sealed(SEALED)));
    });

    test('orders the binding before the app', () => {
      const chart = testChart();
      const app = newApp(chart);
      new SecretsBinding(chart, 'ApiSecrets', { source: external() }).bindTo(app, SecretMount.env(['JWT_SECRET']));
      const kinds = synth(chart).map((m) => m.kind);
      expect(kinds.indexOf('ExternalSecret')).toBeLessThan(kinds.indexOf('Deployment'));
    });

    test('fails when the workload asks for a key the source does not map', () => {
      const chart = testChart();
      const secrets = new SecretsBinding(chart, 'ApiSecrets', { source: external() });
      expect(() => secrets.bindTo(newApp(chart), SecretMount.env(['OPENAI_API_KEY'])))
        .toThrow(/\[test\/ApiSecrets\] 'bindTo.mount.keys' \('OPENAI_API_KEY'\) is not a key the source provides \(JWT_SECRET, API_TOKEN\)/);
    });

    test('fails when a file mount asks for a key the source does not map', () => {
      const chart = testChart();
      const secrets = new SecretsBinding(chart, 'ApiSecrets', { source: external() });
      expect(() => secrets.bindTo(newApp(chart), SecretMount.files('/secrets', { keys: ['tls.key'] })))
        .toThrow(/'bindTo.mount.keys' \('tls.key'\) is not a key the source provides/);
    });

    test('fails when a replacing template dropped the key', () => {
      const chart = testChart();
      const secrets = new SecretsBinding(chart, 'Db', { source: external({ template: { data: { DATABASE_URL: '{{ .JWT_SECRET }}' } } }) });
      expect(() => secrets.bindTo(newApp(chart), SecretMount.env(['JWT_SECRET'])))
        .toThrow(/'bindTo.mount.keys' \('JWT_SECRET'\) is not a key the source provides \(DATABASE_URL\)/);
    });

    test('fails when the app runs in another namespace', () => {
      const chart = testChart();
      const secrets = new SecretsBinding(chart, 'ApiSecrets', { source: external() });
      expect(() => secrets.bindTo(newApp(chart, 'Api', 'other'), SecretMount.env(['JWT_SECRET'])))
        .toThrow(/'bindTo.app' \('test\/Api'\) must run in namespace 'test': pods read Secrets of their own namespace only/);
    });

    test('fails when the mount path is relative', () => {
      const chart = testChart();
      const secrets = new SecretsBinding(chart, 'ApiSecrets', { source: external() });
      expect(() => secrets.bindTo(newApp(chart), SecretMount.files('secrets')))
        .toThrow(/'bindTo.mount.mountPath' \('secrets'\) must be an absolute path/);
    });
  });

  describe('credentialsFor', () => {
    test('records on the ExternalSecret the hosts and ports its credentials are for, once each', () => {
      // GIVEN
      const chart = testChart();
      const anthropic = new ExternalService(chart, 'Anthropic', { hosts: ['api.anthropic.com'] });
      const openai = new ExternalService(chart, 'OpenAi', { hosts: ['api.openai.com'] });

      // WHEN
      new SecretsBinding(chart, 'LlmKeys', { source: external(), credentialsFor: [anthropic, openai, anthropic] });

      // THEN
      expect(one(synth(chart), 'ExternalSecret', 'llm-keys').metadata.annotations)
        .toEqual({ 'cdk8s-golden-path/credentials-for': 'api.anthropic.com:443/TCP api.openai.com:443/TCP' });
    });

    test('records them on a SealedSecret, beside its own annotations', () => {
      const chart = testChart();
      new SecretsBinding(chart, 'Keys', {
        source: SecretSource.sealed({ encryptedData: { key: SEALED }, scope: SealingScope.NAMESPACE_WIDE }),
        credentialsFor: [new ExternalService(chart, 'Registry', { hosts: ['registry.npmjs.org'] })],
      });

      expect(one(synth(chart), 'SealedSecret').metadata.annotations).toEqual({
        'sealedsecrets.bitnami.com/namespace-wide': 'true', 'cdk8s-golden-path/credentials-for': 'registry.npmjs.org:443/TCP',
      });
    });

    test('lets the guardrails warn about a workload that mounts the credentials but cannot reach the service', () => {
      // GIVEN: the app mounts the keys and is connected to nothing outside the cluster
      const { app, chart } = guardedChart(Tier.PRODUCTION);
      const anthropic = new ExternalService(chart, 'Anthropic', { hosts: ['api.anthropic.com'] });
      const keys = new SecretsBinding(chart, 'LlmKeys', { source: external(), credentialsFor: [anthropic] });

      // WHEN
      keys.bindTo(newApp(chart), SecretMount.files('/var/run/secrets/llm'));

      // THEN
      const warnings = Guardrails.of(app)!.evaluate().warnings.filter((f) => f.rule.id === 'credentials-egress').map((f) => f.message);
      expect(warnings).toEqual(['mounts Secret \'llm-keys\', credentials for api.anthropic.com:443/TCP, but its pods have no egress to it']);
    });

    test('fails when a service is named by its host, not given as an ExternalService', () => {
      expect(() => new SecretsBinding(testChart(), 'LlmKeys', { source: external(), credentialsFor: ['api.anthropic.com' as any] }))
        .toThrow(/^\[test\/LlmKeys\] 'credentialsFor\[0\]' \('api.anthropic.com'\) must be an ExternalService$/);
    });
  });

  test('fails when the name is not a DNS label', () => {
    expect(() => new SecretsBinding(testChart(), 'S', { source: external(), name: 'Api_Secrets' }))
      .toThrow(/\[test\/S\] 'name' \('Api_Secrets'\) must be a DNS label/);
  });

  test('fails without a namespace', () => {
    const chart = new Chart(Testing.app(), 'bare');
    expect(() => new SecretsBinding(chart, 'S', { source: external() }))
      .toThrow(/'namespace' \(unset\) must be set on the SecretsBinding or its Chart/);
  });

  test('matches the snapshot with minimal props', () => {
    const chart = testChart();
    new SecretsBinding(chart, 'ApiSecrets', { source: external() });
    expect(synth(chart)).toMatchSnapshot();
  });

  test('matches the snapshot with all props', () => {
    const chart = testChart();
    const options: Required<ExternalSecretOptions> = {
      store: SecretStoreRef.namespaced('vault'),
      data: { JWT_SECRET: { key: 'acme/jwt', property: 'value', version: '3' } },
      dataFrom: [{ from: { key: 'acme/llm' }, keys: ['OPENAI_API_KEY'] }],
      refreshInterval: Duration.minutes(15),
      template: { type: 'Opaque', mergePolicy: TemplateMergePolicy.MERGE, data: { 'jwt.txt': '{{ .JWT_SECRET }}' } },
      creationPolicy: CreationPolicy.ORPHAN,
    };
    const props: Required<SecretsBindingProps> = {
      source: SecretSource.externalSecret(options),
      name: 'acme-secrets',
      namespace: 'test',
      partOf: 'acme',
      credentialsFor: [new ExternalService(chart, 'OpenAi', { hosts: ['api.openai.com'] })],
    };
    const secrets = new SecretsBinding(chart, 'ApiSecrets', props);
    secrets.bindTo(newApp(chart), SecretMount.files('/var/run/secrets/acme', { keys: ['jwt.txt'] }));
    secrets.bindTo(newApp(chart, 'Worker'), SecretMount.env(['OPENAI_API_KEY']));
    expect(synth(chart).filter((m) => m.kind === 'ExternalSecret' || m.kind === 'Deployment')).toMatchSnapshot();
  });
});
