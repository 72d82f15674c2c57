/** The label key every selector in this library uses for the application name. */
export const NAME_LABEL = 'app.kubernetes.io/name';
/** The label key every selector in this library uses for the instance. */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
/** The label the API server sets on every namespace (Kubernetes 1.22+). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** What identifies a workload in the `app.kubernetes.io/*` recommended labels. */
export interface WorkloadIdentity {
  /** The application name (`app.kubernetes.io/name`). */
  readonly name: string;
  /** The instance (`app.kubernetes.io/instance`); the application name again when one instance is deployed. */
  readonly instance: string;
  /** The version (`app.kubernetes.io/version`), when it is a valid label value. @default - no version label */
  readonly version?: string;
  /** The role in the architecture (`app.kubernetes.io/component`), e.g. `api`, `worker`, `database`. @default - no component label */
  readonly component?: string;
  /** The higher-level application this is part of (`app.kubernetes.io/part-of`). @default - no part-of label */
  readonly partOf?: string;
}

/**
 * Selector labels: the stable subset of the recommended labels.
 * A Deployment's selector is immutable, so it never carries the version.
 */
export function selectorLabels(id: WorkloadIdentity): Record<string, string> {
  return { [NAME_LABEL]: id.name, [INSTANCE_LABEL]: id.instance };
}

/**
 * The Kubernetes recommended labels for every object of a workload.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export function recommendedLabels(id: WorkloadIdentity): Record<string, string> {
  const labels: Record<string, string> = selectorLabels(id);
  if (id.version !== undefined && isLabelValue(id.version)) {
    labels['app.kubernetes.io/version'] = id.version;
  }
  if (id.component !== undefined) {
    labels['app.kubernetes.io/component'] = id.component;
  }
  if (id.partOf !== undefined) {
    labels['app.kubernetes.io/part-of'] = id.partOf;
  }
  labels['app.kubernetes.io/managed-by'] = 'cdk8s';
  return labels;
}

function isLabelValue(value: string): boolean {
  return value.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
}
