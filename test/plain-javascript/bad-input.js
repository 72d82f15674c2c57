// A caller without a type checker: plain JavaScript that requires the compiled library, as a consumer's
// cdk8s app written in JavaScript does, and gets each kind of mistake wrong once. Prints what each
// mistake throws, as JSON, for test/plain-javascript.test.ts to judge. Run after `npm run build`.
'use strict';
const path = require('path');
const { App, Chart, Duration, Size } = require('cdk8s');
const { Cpu } = require('cdk8s-plus-28');
const lib = require(path.join(__dirname, '..', '..', 'build', 'lib'));

const image = lib.Image.pinned('ghcr.io/acme/api', '1.2.3');
const quota = { requestsCpu: Cpu.units(4), requestsMemory: Size.gibibytes(8), limitsCpu: Cpu.units(8), limitsMemory: Size.gibibytes(16) };
const chart = () => new Chart(new App({ outdir: path.join(__dirname, 'never-written') }), 'shop', { namespace: 'shop' });

const mistakes = {
  'no props at all': (c) => new lib.ProductionApp(c, 'Api'),
  'null props': (c) => new lib.NamespaceBaseline(c, 'Namespace', null),
  'a missing required prop': (c) => new lib.ProductionApp(c, 'Api', { port: 8080 }),
  'a string where a Cpu belongs': (c) => new lib.NamespaceBaseline(c, 'Namespace', { name: 'shop', quota: { ...quota, requestsCpu: '4' } }),
  'a string where a Size belongs': (c) => new lib.HaPostgres(c, 'Db', {
    kubernetesApi: { peer: lib.NetworkPeer.ipBlock('10.0.0.0/16') }, storage: { size: '10Gi' }, backup: lib.PostgresBackup.none({ reason: 'dev' }),
  }),
  'a string where a Duration belongs': (c) => new lib.OneOffJob(c, 'Migrate', { image, activeDeadline: '30m' }),
  'a number in args': (c) => new lib.ProductionApp(c, 'Api', { image, args: ['serve', '--port', 8080] }),
  'a function in a value': (c) => new lib.ProductionApp(c, 'Api', { image, config: { LOG_LEVEL: () => 'info' } }),
  'a BigInt in a value': (c) => new lib.ProductionApp(c, 'Api', { image, replicas: 3n }),
  'an array where a record belongs': (c) => new lib.ProductionApp(c, 'Api', { image, env: [['LOG_LEVEL', 'info']] }),
  'a config key __proto__ read from JSON': (c) => new lib.ProductionApp(c, 'Api', { image, config: JSON.parse('{"__proto__":"x"}') }),
  'a CIDR past 32 bits': (c) => new lib.ProductionApp(c, 'Api', { image, allowFrom: [lib.NetworkPeer.ipBlock('10.0.0.0/33')] }),
  'an enum value as a plain string that is none': (c) => new lib.StatefulApp(c, 'Search', {
    image, volumeClaims: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(1), storageClassName: 'gp3', accessMode: 'rwo' }],
  }),
  'a value class written as an object': (c) => new lib.ProductionApp(c, 'Api', { image, readiness: { httpGet: { path: '/ready' } } }),
  'a route to a Service name': (c) => new lib.HardenedIngress(c, 'Ingress', {
    controller: lib.IngressController.haproxy(), issuer: lib.CertificateIssuer.clusterIssuer('letsencrypt'),
  }).route('shop.example.com', '/', 'api'),
  'a binding to a workload name': (c) => new lib.SecretsBinding(c, 'Secrets', {
    source: lib.SecretSource.externalSecret({ store: lib.SecretStoreRef.cluster('aws'), data: { TOKEN: { key: 'shop/token' } } }),
  }).bindTo('api', lib.SecretMount.files('/var/run/secrets/shop')),
  'an app that is no App': () => lib.synthWithGuardrails({ outdir: 'dist' }),
  'a Duration in a cron': (c) => new lib.ScheduledJob(c, 'Prune', { image, schedule: lib.Schedule.cron(Duration.hours(1)) }),
  'one host where the list of hosts belongs': (c) => new lib.ExternalService(c, 'Anthropic', { hosts: 'api.anthropic.com' }),
  'registry credentials without a registry': (c) => new lib.RegistryCredentials(c, 'Registry', {
    store: lib.SecretStoreRef.cluster('vault'), username: { key: 'registry/username' }, password: { key: 'registry/password' },
  }),
  'null options of a grant': (c) => new lib.TeamAccess(c, 'Access', { grants: [lib.Access.team('developers', null)] }),
  'a Velero installation written as an object': (c) => new lib.VolumeBackupSchedule(c, 'Backups', {
    workload: new lib.ProductionApp(c, 'Api', { image }), velero: { namespace: 'velero' },
  }),
  'null options of a DNS provider': (c) => new lib.HardenedIngress(c, 'Ingress', {
    controller: lib.IngressController.haproxy(),
    issuer: lib.CertificateIssuer.acme({
      name: 'letsencrypt', server: lib.AcmeServer.letsEncrypt(), email: 'ops@example.com', dns01: { provider: lib.DnsProvider.route53(null), zones: ['example.com'] },
    }),
  }),
  'an issuer URL where the identity provider belongs': (c) => new lib.HardenedIngress(c, 'Ingress', {
    controller: lib.IngressController.haproxy(), issuer: lib.CertificateIssuer.clusterIssuer('letsencrypt'),
  }).route('ide.example.com', '/', new lib.ProductionApp(c, 'Ide', { image }), {
    signIn: lib.SignIn.oidc({ identityProvider: 'https://sso.example.com', clientId: 'ide', secret: null }),
  }),
  'null options of a log collection': (c) => new lib.ProductionApp(c, 'Api', { image, logs: lib.LogCollection.fluentBit(null) }),
  'an apply order for a name': () => lib.ApplyOrder.apply('platform'),
};

const results = {};
for (const [mistake, make] of Object.entries(mistakes)) {
  try {
    make(chart());
    results[mistake] = { thrown: false };
  } catch (error) {
    results[mistake] = { thrown: true, name: error.name, message: error.message, path: error.path, prop: error.prop };
  }
}
process.stdout.write(JSON.stringify(results));
