import { Construct } from 'constructs';
import { SealedSecret } from '../../imports/bitnami.com';
import { ExternalSecret } from '../../imports/external-secrets.io';
import { check } from '../core/errors';
import { shortHash } from '../core/hashing';
import { Kind, checkProps } from '../core/kinds';
import { recommendedLabels } from '../core/labels';
import { nameFromId, resolveNamespace } from '../core/names';
import { keepOnPrune } from '../core/protection';
import { checkAbsolutePath, checkDnsLabel, checkLabels, checkSecretKey } from '../core/validate';
import { EnvValue } from '../workload/env-value';
import { CREDENTIALS_FOR_ANNOTATION, ExternalService } from '../workload/external-service';
import { ISecretProducer } from '../workload/secret-producer';
import { IWorkload, WORKLOAD_KIND } from '../workload/workload';
import { SecretMount } from './secret-mount';
import { SecretSource } from './secret-source';

/** Props of a {@link SecretsBinding}. */
export interface SecretsBindingProps {
  /** Where the values come from. */
  readonly source: SecretSource;
  /** Name of the Secret and of the object that produces it (DNS label). @default - the construct id in kebab-case */
  readonly name?: string;
  /** Namespace of the Secret; only pods of this namespace can read it. @default - the namespace of the chart */
  readonly namespace?: string;
  /** The application this is part of (`app.kubernetes.io/part-of`). @default - no part-of label */
  readonly partOf?: string;
  /**
   * The services outside the cluster these credentials are for (an API key's provider). Recorded on the
   * ExternalSecret or SealedSecret (annotation `cdk8s-golden-path/credentials-for`), so that the
   * `credentials-egress` guardrail warns about a workload that mounts the Secret but cannot reach them.
   * @default - credentials for nothing outside the cluster, or not said
   */
  readonly credentialsFor?: ExternalService[];
}

/** Mode of secret files: read for the owner; the kubelet adds group read for the pod's fsGroup. */
const FILE_MODE = 0o400;
/** Annotation prefix of the pod template's per-binding checksums. */
const CHECKSUM_ANNOTATION = 'secrets.cdk8s-golden-path';

/**
 * Secrets that never sit in git, bound into workloads: a Secret produced in the cluster by the
 * External Secrets Operator or Sealed Secrets, mounted into a workload (a `ProductionApp`, or any
 * {@link IWorkload}) as files or environment variables with `bindTo`. Keys a workload asks for that the source does not provide
 * fail at synth, and pods roll when the binding changes. It is also the {@link ISecretProducer} the constructs
 * that read a Secret take (a database's backup credentials, a managed database's password), and it declares
 * the operator, the store and every key it reads as prerequisites.
 */
export class SecretsBinding extends Construct implements ISecretProducer {
  /** Name of the Secret. */
  public readonly name: string;
  /** Namespace of the Secret. */
  public readonly namespace: string;
  /** The keys the Secret holds. */
  public readonly keys: readonly string[];
  /** The ExternalSecret or SealedSecret that produces the Secret. */
  public readonly resource: ExternalSecret | SealedSecret;
  /** Labels of the binding's objects. */
  public readonly labels: Record<string, string>;

  private readonly checksum: string;

  public constructor(scope: Construct, id: string, props: SecretsBindingProps) {
    super(scope, id);
    checkProps(this, props, {
      source: Kind.instance(SecretSource, 'a SecretSource (SecretSource.externalSecret, SecretSource.sealed or SecretSource.devPlaceholders)'),
      name: Kind.STRING.optional(),
      namespace: Kind.STRING.optional(),
      partOf: Kind.STRING.optional(),
      credentialsFor: Kind.array(Kind.instance(ExternalService, 'an ExternalService')).optional(),
    }, 'SecretsBindingProps');

    this.name = props.name ?? nameFromId(id);
    checkDnsLabel(this, 'name', this.name);
    if (props.partOf !== undefined) {
      checkLabels(this, 'partOf', { 'app.kubernetes.io/part-of': props.partOf });
    }
    this.namespace = resolveNamespace(this, 'SecretsBinding', props.namespace, 'a Secret belongs to the namespace of the pods that read it');
    this.labels = recommendedLabels({ name: this.name, instance: this.name, component: 'secrets', partOf: props.partOf });

    const bound = props.source.bind(this);
    this.keys = bound.keys;
    this.resource = bound.resource;
    this.checksum = shortHash(JSON.stringify(bound.spec), 16);
    const endpoints = (props.credentialsFor ?? []).flatMap((service) => service.endpoints);
    if (endpoints.length > 0) {
      this.resource.metadata.addAnnotation(CREDENTIALS_FOR_ANNOTATION, [...new Set(endpoints)].join(' '));
    }
  }

  /**
   * Keeps the ExternalSecret or SealedSecret when the manifests are pruned or their Application is
   * deleted (Argo CD and Flux annotations), and with it the Secret it owns: for a Secret that something
   * kept reads, such as the backup credentials of a database.
   */
  public keepOnPrune(): void {
    keepOnPrune(this.resource);
  }

  /**
   * Mounts the Secret into `workload` as `mount` says, annotates its pods with a checksum of the
   * binding so that they roll when it changes, and orders the binding before the workload in the manifests.
   */
  public bindTo(workload: IWorkload, mount: SecretMount): void {
    WORKLOAD_KIND.check(this, 'bindTo.app', workload);
    Kind.instance(SecretMount, 'a SecretMount (SecretMount.files, SecretMount.env or SecretMount.envAs)').check(this, 'bindTo.mount', mount);
    check(workload.namespace === this.namespace, this, 'bindTo.app', workload.node.path,
      `must run in namespace '${this.namespace}': pods read Secrets of their own namespace only`);
    check(mount.mountPath !== undefined || mount.variables.length > 0, this, 'bindTo.mount', mount.keys,
      'must mount the Secret as files (SecretMount.files with a path) or set at least one variable (SecretMount.env, SecretMount.envAs)');
    Kind.array(Kind.STRING).optional().check(this, 'bindTo.mount.keys', mount.keys);
    check(mount.keys === undefined || mount.keys.length > 0, this, 'bindTo.mount.keys', mount.keys,
      'must list at least one key (or be left out, for every key of the Secret)');
    for (const key of mount.keys ?? []) {
      checkSecretKey(this, 'bindTo.mount.keys', key);
      check(this.keys.includes(key), this, 'bindTo.mount.keys', key,
        `is not a key the source provides (${this.keys.join(', ')}): map it in the source or drop it from the mount`);
      check(mount.keys?.indexOf(key) === mount.keys?.lastIndexOf(key), this, 'bindTo.mount.keys', key,
        'is listed twice: each key is one file, and the API server refuses two items with one path');
    }
    if (mount.mountPath !== undefined) {
      checkAbsolutePath(this, 'bindTo.mount.mountPath', mount.mountPath);
      workload.addVolume({
        name: this.name,
        mountPath: mount.mountPath,
        readOnly: true,
        source: {
          secret: {
            secretName: this.name,
            defaultMode: FILE_MODE,
            items: mount.keys?.map((key) => ({ key, path: key })),
          },
        },
      });
    }
    for (const [variable, key] of mount.variables) {
      workload.addEnv(variable, EnvValue.fromSecret(this.name, key));
    }
    workload.addPodAnnotation(`${CHECKSUM_ANNOTATION}/${this.name}`, this.checksum);
    workload.node.addDependency(this);
  }
}
