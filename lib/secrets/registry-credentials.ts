import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ExternalSecret } from '../../imports/external-secrets.io';
import { check } from '../core/errors';
import { Kind, Kinds, checkProps } from '../core/kinds';
import { recommendedLabels } from '../core/labels';
import { nameFromId, resolveNamespace } from '../core/names';
import { keepOnPrune } from '../core/protection';
import { checkDnsLabel, checkDnsSubdomain, checkLabels, checkPort } from '../core/validate';
import { IRegistryCredentials } from '../workload/registry-credentials';
import { REMOTE_SECRET_REF_KIND, RemoteSecretRef, checkRefreshInterval, checkRemoteRef } from './external-secret';
import { SecretSource } from './secret-source';
import { SecretStoreRef } from './secret-store';

/** Props of a {@link RegistryCredentials}. */
export interface RegistryCredentialsProps {
  /** The registry host, as image references name it: `registry.example.com`, or with a port, `registry.example.com:5000`. */
  readonly registry: string;
  /** The External Secrets store the username and password are read from. */
  readonly store: SecretStoreRef;
  /** The username (or robot account) in the store's backend. */
  readonly username: RemoteSecretRef;
  /** The password or access token in the store's backend. */
  readonly password: RemoteSecretRef;
  /** How often the operator re-reads the store: a rotated token reaches the Secret, and the next pulls use it. @default Duration.hours(1) */
  readonly refreshInterval?: Duration;
  /** Name of the Secret and of the ExternalSecret (DNS label). @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of the Secret: the pods that pull with it run there. @default - the namespace of the chart */
  readonly namespace?: string;
  /** The application this is part of (`app.kubernetes.io/part-of`). @default - no part-of label */
  readonly partOf?: string;
}

/** The key of a `kubernetes.io/dockerconfigjson` Secret, which the API server requires and the kubelet reads. */
const DOCKER_CONFIG_KEY = '.dockerconfigjson';
const REGISTRY_HOST = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(:[0-9]{1,5})?$/;

const REGISTRY_CREDENTIALS_KINDS: Kinds<RegistryCredentialsProps> = {
  registry: Kind.STRING,
  store: Kind.instance(SecretStoreRef, 'a SecretStoreRef (SecretStoreRef.namespaced, SecretStoreRef.cluster, or a SecretStore\'s ref)'),
  username: REMOTE_SECRET_REF_KIND,
  password: REMOTE_SECRET_REF_KIND,
  refreshInterval: Kind.DURATION.optional(),
  name: Kind.STRING.optional(),
  namespace: Kind.STRING.optional(),
  partOf: Kind.STRING.optional(),
};

/**
 * Credentials of a private container registry for every pod of a namespace: an `ExternalSecret` that writes a
 * `kubernetes.io/dockerconfigjson` Secret (key `.dockerconfigjson`) from a username and a password in the store, with
 * the template External Secrets documents for it. Give it to every workload (`imagePullSecrets`) and database
 * (`HaPostgres.imagePullSecrets`) of the namespace; the username and password never sit in git.
 * @see https://external-secrets.io/latest/guides/common-k8s-secret-types/
 */
export class RegistryCredentials extends Construct implements IRegistryCredentials {
  /** Name of the Secret. */
  public readonly name: string;
  /** Namespace of the Secret. */
  public readonly namespace: string;
  /** The registry host the credentials are for. */
  public readonly registry: string;
  /** Labels of the ExternalSecret. */
  public readonly labels: Record<string, string>;
  /** The ExternalSecret that writes the Secret. */
  public readonly resource: ExternalSecret;

  public constructor(scope: Construct, id: string, props: RegistryCredentialsProps) {
    super(scope, id);
    checkProps(this, props, REGISTRY_CREDENTIALS_KINDS, 'RegistryCredentialsProps');
    this.name = props.name ?? nameFromId(id);
    checkDnsLabel(this, 'name', this.name);
    this.namespace = resolveNamespace(this, 'RegistryCredentials', props.namespace, 'the kubelet reads image pull secrets of the pod\'s namespace');
    this.registry = props.registry;
    const [host, port] = this.registry.split(':');
    check(REGISTRY_HOST.test(this.registry) && host.includes('.'), this, 'registry', this.registry,
      'must be a registry host as image references name it, such as \'registry.example.com\' or \'registry.example.com:5000\': lowercase, without scheme or path');
    if (port !== undefined) {
      checkPort(this, 'registry', Number(port));
    }
    if (props.partOf !== undefined) {
      checkLabels(this, 'partOf', { 'app.kubernetes.io/part-of': props.partOf });
    }
    // Checked here, under the props' own names, before the ExternalSecret checks them as its source.
    checkDnsSubdomain(this, 'store.name', props.store.name);
    checkRemoteRef(this, 'username.key', props.username);
    checkRemoteRef(this, 'password.key', props.password);
    if (props.refreshInterval !== undefined) {
      checkRefreshInterval(this, 'refreshInterval', props.refreshInterval);
    }
    this.labels = recommendedLabels({ name: this.name, instance: this.name, component: 'registry-credentials', partOf: props.partOf });

    // The template of External Secrets' guide, with the values quoted by toJson (a password may hold '"' or '\'):
    // template functions of ESO v2.9.0 (runtime/template/v2/template.go: sprig's toJson, b64enc; Go's printf).
    const auth = `{"username":{{ .username | toJson }},"password":{{ .password | toJson }},"auth":"{{ printf "%s:%s" .username .password | b64enc }}"}`;
    const bound = SecretSource.externalSecret({
      store: props.store,
      refreshInterval: props.refreshInterval,
      data: { username: props.username, password: props.password },
      template: { type: 'kubernetes.io/dockerconfigjson', data: { [DOCKER_CONFIG_KEY]: `{"auths":{"${this.registry}":${auth}}}` } },
    }).bind(this);
    this.resource = bound.resource as ExternalSecret;
  }

  /**
   * Keeps the ExternalSecret, and with it the Secret, when the manifests are pruned or their Application is deleted:
   * a kept database pulls its images with it when an instance pod is created again.
   */
  public keepOnPrune(): void {
    keepOnPrune(this.resource);
  }
}
