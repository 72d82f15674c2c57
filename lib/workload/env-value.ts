import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkDnsSubdomain, checkSecretKey, isQualifiedName } from '../core/validate';

/**
 * The pod fields the kubelet hands to a container as an environment variable (`fieldRef`; kubernetes
 * `validEnvDownwardAPIFieldPathExpressions`), besides a label or an annotation by key.
 */
const POD_FIELDS = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
const LABEL_OR_ANNOTATION = /^metadata\.(labels|annotations)\['(.+)'\]$/;

/** The value of an environment variable. */
export class EnvValue {
  /** A literal value, written into the manifest. Never use it for a credential. */
  public static literal(value: string): EnvValue {
    return new EnvValue({ value }, 'a literal value');
  }

  /** The value of `key` in the Secret `secretName`, read by the kubelet; the manifest holds only the reference. */
  public static fromSecret(secretName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secretName, key, optional: false } } }, `key '${key}' of Secret '${secretName}'`);
  }

  /** The value of `key` in the ConfigMap `configMapName`. */
  public static fromConfigMap(configMapName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMapName, key, optional: false } } }, `key '${key}' of ConfigMap '${configMapName}'`);
  }

  /** A field of the pod, e.g. `metadata.namespace` or `status.podIP`. */
  public static fromField(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } }, `the pod's field ${fieldPath}`);
  }

  private constructor(
    private readonly spec: Omit<k8s.EnvVar, 'name'>,
    /** Where the value comes from, as messages name it: `key 'password' of Secret 'db-app'`. */
    public readonly source: string,
  ) {}

  /** Whether the manifest carries the value itself. */
  public get isLiteral(): boolean {
    return this.spec.value !== undefined;
  }

  /**
   * Checks the value given to `scope` as `prop`: a literal is a string (never printed: it may be a
   * credential), a Secret or ConfigMap reference names an object and a key, a pod field is one the
   * kubelet hands over.
   * @internal
   */
  public check(scope: IConstruct, prop: string): void {
    const { value, valueFrom } = this.spec;
    if (valueFrom === undefined) {
      Kind.SECRET_STRING.check(scope, prop, value);
      return;
    }
    const reference = valueFrom.secretKeyRef ?? valueFrom.configMapKeyRef;
    if (reference !== undefined) {
      checkDnsSubdomain(scope, `${prop}.name`, reference.name as string);
      checkSecretKey(scope, `${prop}.key`, reference.key);
      return;
    }
    const fieldPath = valueFrom.fieldRef?.fieldPath;
    const labelOrAnnotation = typeof fieldPath === 'string' ? LABEL_OR_ANNOTATION.exec(fieldPath) : null;
    check(POD_FIELDS.includes(fieldPath as string) || (labelOrAnnotation !== null && isQualifiedName(labelOrAnnotation[2])), scope, `${prop}.fieldPath`, fieldPath,
      `must be a pod field the kubelet hands to a container: ${POD_FIELDS.join(', ')}, or metadata.labels['<key>'] or metadata.annotations['<key>']`);
  }

  /** The env entry for `name`. */
  public render(name: string): k8s.EnvVar {
    return { name, ...this.spec };
  }
}

/**
 * An {@link EnvValue}, as an argument's kind.
 * @internal
 */
export const ENV_VALUE_KIND = Kind.instance(EnvValue, 'an EnvValue (EnvValue.literal, EnvValue.fromSecret, EnvValue.fromConfigMap or EnvValue.fromField)');
