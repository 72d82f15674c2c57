import { IConstruct } from 'constructs';

/** Metadata type of an upgrade step recorded on an API object's node. */
const UPGRADE_STEP_METADATA = 'cdk8s-golden-path:upgrade-step';

/**
 * What an object does during an upgrade, when it is more than a desired state: the steps that must
 * finish after the data is in place and before the workloads roll out. The construct that makes the
 * object records the step ({@link markUpgradeStep}); the apply order (`lib/upgrade/`) reads it and
 * decides where and how the object is applied.
 */
export enum UpgradeStep {
  /** A backup of the data taken before anything of the release touches it (a CloudNativePG `Backup`). */
  BACKUP = 'backup',
  /** A job that brings the data to the release's version (schema migrations) and must succeed before the workloads roll out. */
  MIGRATION = 'migration',
}

/** Records that `object` is the upgrade step `step`. */
export function markUpgradeStep(object: IConstruct, step: UpgradeStep): void {
  if (upgradeStepOf(object) !== step) {
    object.node.addMetadata(UPGRADE_STEP_METADATA, step);
  }
}

/** The upgrade step `object` was recorded as (the last one recorded), or `undefined`. */
export function upgradeStepOf(object: IConstruct): UpgradeStep | undefined {
  const steps = object.node.metadata.filter((entry) => entry.type === UPGRADE_STEP_METADATA);
  return steps.length > 0 ? steps[steps.length - 1].data as UpgradeStep : undefined;
}
