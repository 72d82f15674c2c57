import { k8s } from 'cdk8s-plus-28';

/** The value of an environment variable. */
export class EnvValue {
  /** A literal value, written into the manifest. Never use it for a credential. */
  public static literal(value: string): EnvValue {
    return new EnvValue({ value });
  }

  /** The value of `key` in the Secret `secretName`, read by the kubelet; the manifest holds only the reference. */
  public static fromSecret(secretName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { secretKeyRef: { name: secretName, key, optional: false } } });
  }

  /** The value of `key` in the ConfigMap `configMapName`. */
  public static fromConfigMap(configMapName: string, key: string): EnvValue {
    return new EnvValue({ valueFrom: { configMapKeyRef: { name: configMapName, key, optional: false } } });
  }

  /** A field of the pod, e.g. `metadata.namespace` or `status.podIP`. */
  public static fromField(fieldPath: string): EnvValue {
    return new EnvValue({ valueFrom: { fieldRef: { fieldPath } } });
  }

  private constructor(private readonly spec: Omit<k8s.EnvVar, 'name'>) {}

  /** Whether the manifest carries the value itself. */
  public get isLiteral(): boolean {
    return this.spec.value !== undefined;
  }

  /** The env entry for `name`. */
  public render(name: string): k8s.EnvVar {
    return { name, ...this.spec };
  }
}
