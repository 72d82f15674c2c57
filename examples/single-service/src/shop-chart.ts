import { Chart, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  CertificateIssuer, HardenedIngress, Image, IngressController, NamespaceBaseline, ProductionApp, Probe,
  SecretMount, SecretSource, SecretStoreRef, SecretsBinding,
} from 'cdk8s-golden-path';

/** What differs where the shop runs. */
export interface ShopChartProps {
  /** Namespace of the shop; the chart creates it, locked down. */
  readonly namespace: string;
  /** Public host name, served over HTTPS only. */
  readonly host: string;
  /** Version tag of the shop's image. */
  readonly version: string;
}

/** One service, production-ready: its namespace, the API behind HTTPS, and its credentials from a secret store. */
export class ShopChart extends Chart {
  public readonly api: ProductionApp;

  public constructor(scope: Construct, id: string, props: ShopChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });

    // Pod Security `restricted`, a quota, default limits, default-deny networking.
    new NamespaceBaseline(this, 'Namespace', {
      name: props.namespace,
      quota: { requestsCpu: Cpu.units(4), requestsMemory: Size.gibibytes(8), limitsCpu: Cpu.units(16), limitsMemory: Size.gibibytes(16) },
    });

    // Hardened pods, 3 replicas, autoscaler, disruption budget, NetworkPolicy, ServiceMonitor and alerts.
    this.api = new ProductionApp(this, 'Api', {
      image: Image.pinned('ghcr.io/acme/shop-api', props.version),
      port: 8080,
      readiness: Probe.http('/ready'),
      liveness: Probe.http('/health'),
      metrics: { path: '/metrics' },
      config: { LOG_LEVEL: 'info' },
    });

    // TLS from cert-manager, HTTPS redirect, HSTS, rate limits; the API admits the controller on 8080 only.
    const ingress = new HardenedIngress(this, 'Ingress', {
      controller: IngressController.haproxy(),
      issuer: CertificateIssuer.clusterIssuer('letsencrypt-prod'),
      rateLimit: { requestsPerSecond: 100 },
    });
    ingress.route(props.host, '/', this.api);

    // The Stripe key never sits in git: External Secrets copies it from AWS Secrets Manager, mounted as a file.
    const secrets = new SecretsBinding(this, 'ApiSecrets', {
      source: SecretSource.externalSecret({
        store: SecretStoreRef.cluster('aws-secrets-manager'),
        data: { STRIPE_API_KEY: { key: 'shop/prod/stripe-api-key' } },
      }),
    });
    secrets.bindTo(this.api, SecretMount.files('/var/run/secrets/shop'));
  }
}
