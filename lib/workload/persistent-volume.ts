import { Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { Prerequisite } from '../core/prerequisites';
import { keepOnPrune } from '../core/protection';
import { checkSize, kib, sizeQuantity } from '../core/quantities';
import { checkAbsolutePath, checkDnsSubdomain } from '../core/validate';
import { OwnVolume } from './_pod-template';

/** A persistent data volume: a PersistentVolumeClaim mounted into the container. */
export interface PersistentVolumeOptions {
  /** Where the volume is mounted. */
  readonly mountPath: string;
  /** Requested capacity. */
  readonly size: Size;
  /** StorageClass of the claim (e.g. `gp3`, `pd-ssd`, `standard`). */
  readonly storageClassName: string;
  /** Access mode. @default AccessMode.READ_WRITE_ONCE */
  readonly accessMode?: AccessMode;
}

/** Access mode of a persistent volume. */
export enum AccessMode {
  /** Mounted read-write by one node: the pod is replaced with the Recreate strategy and runs one replica. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** Mounted read-write by many nodes: any number of replicas. */
  READ_WRITE_MANY = 'ReadWriteMany',
}

/**
 * Checks the mount path and StorageClass of a persistent volume.
 * @internal
 */
export function checkPersistentVolume(scope: Construct, options: PersistentVolumeOptions): void {
  checkAbsolutePath(scope, 'persistentVolume.mountPath', options.mountPath);
  checkDnsSubdomain(scope, 'persistentVolume.storageClassName', options.storageClassName);
  checkSize(scope, 'persistentVolume.size', options.size);
  check(kib(options.size) > 0, scope, 'persistentVolume.size', sizeQuantity(options.size),
    'must be greater than zero: the API server refuses a claim that requests no storage');
}

/**
 * {@link PersistentVolumeOptions}, as a prop's kind.
 * @internal
 */
export const PERSISTENT_VOLUME_KIND = Kind.object('a PersistentVolumeOptions object (mountPath, size, storageClassName, and optionally accessMode)', {
  mountPath: Kind.STRING,
  size: Kind.SIZE,
  storageClassName: Kind.STRING,
  accessMode: Kind.oneOf(AccessMode, 'an AccessMode').optional(),
});

/**
 * Claims the volume: a PersistentVolumeClaim `<name>-data` of `metadata`, kept when the manifests are
 * pruned (it holds the app's data), and its mount as the pod's `data` volume.
 * @internal
 */
export function addPersistentVolume(scope: Construct, metadata: { name: string; namespace: string; labels: Record<string, string> },
  options: PersistentVolumeOptions): { claim: k8s.KubePersistentVolumeClaim; volume: OwnVolume } {
  Prerequisite.declare(scope, Prerequisite.clusterObject('StorageClass', options.storageClassName, `provisions the volume of PersistentVolumeClaim ${metadata.namespace}/${metadata.name}-data`));
  const claim = keepOnPrune(new k8s.KubePersistentVolumeClaim(scope, 'Data', {
    metadata: { ...metadata, name: `${metadata.name}-data` },
    spec: {
      accessModes: [options.accessMode ?? AccessMode.READ_WRITE_ONCE],
      storageClassName: options.storageClassName,
      resources: { requests: { storage: k8s.Quantity.fromString(sizeQuantity(options.size)) } },
    },
  }));
  return {
    claim,
    volume: {
      mount: { name: 'data', mountPath: options.mountPath },
      volume: { name: 'data', persistentVolumeClaim: { claimName: claim.name } },
    },
  };
}
