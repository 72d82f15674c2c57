/**
 * An ACME directory.
 * @see https://letsencrypt.org/docs/staging-environment/
 */
export class AcmeServer {
  /** Let's Encrypt production: trusted certificates, strict rate limits. */
  public static letsEncrypt(): AcmeServer {
    return new AcmeServer('https://acme-v02.api.letsencrypt.org/directory');
  }

  /** Let's Encrypt staging: untrusted certificates, generous rate limits; for development and tests. */
  public static letsEncryptStaging(): AcmeServer {
    return new AcmeServer('https://acme-staging-v02.api.letsencrypt.org/directory');
  }

  /** Any ACME directory, by its HTTPS URL. */
  public static url(url: string): AcmeServer {
    return new AcmeServer(url);
  }

  private constructor(public readonly url: string) {}
}

/** An ACME `ClusterIssuer` to declare. */
export interface AcmeIssuerOptions {
  /** Name of the ClusterIssuer (cluster-wide: declare it once per cluster). */
  readonly name: string;
  /** The ACME directory. */
  readonly server: AcmeServer;
  /** Contact address for the ACME account (expiry and incident notices). */
  readonly email: string;
}

/** Kind of a cert-manager issuer. */
export enum IssuerKind {
  /** A cluster-wide `ClusterIssuer`. */
  CLUSTER_ISSUER = 'ClusterIssuer',
  /** An `Issuer` in the namespace of the certificates. */
  ISSUER = 'Issuer',
}

/**
 * The cert-manager issuer that signs a certificate for every host.
 * @see https://cert-manager.io/docs/configuration/
 */
export class CertificateIssuer {
  /** An existing `ClusterIssuer`. */
  public static clusterIssuer(name: string): CertificateIssuer {
    return new CertificateIssuer(name, IssuerKind.CLUSTER_ISSUER);
  }

  /** An existing `Issuer` in the namespace of the routes. */
  public static issuer(name: string): CertificateIssuer {
    return new CertificateIssuer(name, IssuerKind.ISSUER);
  }

  /**
   * An ACME `ClusterIssuer` declared with the routes, which proves control of each host by HTTP-01
   * through the same ingress class or Gateway. The solver pods are admitted from the controller.
   * @see https://cert-manager.io/docs/configuration/acme/http01/
   */
  public static acme(options: AcmeIssuerOptions): CertificateIssuer {
    return new CertificateIssuer(options?.name, IssuerKind.CLUSTER_ISSUER, options);
  }

  private constructor(
    /** Name of the issuer. */
    public readonly name: string,
    /** Kind of the issuer. */
    public readonly kind: IssuerKind,
    /** The ACME ClusterIssuer to declare, when it is declared here. */
    public readonly acme?: AcmeIssuerOptions,
  ) {}
}
