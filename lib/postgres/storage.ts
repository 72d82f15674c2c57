import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkSize, kib, sizeQuantity } from '../core/quantities';
import { checkDnsSubdomain } from '../core/validate';

/** Storage of each PostgreSQL instance. */
export interface PostgresStorage {
  /** Capacity of each instance's data volume (PGDATA). */
  readonly size: Size;
  /**
   * StorageClass of the data and WAL volumes. Prefer one with `reclaimPolicy: Retain` and volume
   * expansion, so that deleting the Cluster does not delete the data and volumes can grow in place.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Capacity of each instance's separate WAL volume: a burst of writes or a lagging standby then
   * fills the WAL volume, never the data volume.
   * @default - a quarter of `size`, and at least 2Gi
   */
  readonly walSize?: Size;
}

const MIN_DATA_SIZE = Size.gibibytes(1);
const MIN_WAL_SIZE = Size.gibibytes(2);

/**
 * Checks the volumes of each instance of a cluster (`scope`) and returns the size of the WAL volume:
 * the one given, else a quarter of the data volume and at least 2Gi.
 * @internal
 */
export function resolveStorage(scope: IConstruct, storage: PostgresStorage): Size {
  Kind.object('a PostgresStorage object (size, and optionally storageClassName and walSize)', {
    size: Kind.SIZE,
    storageClassName: Kind.STRING.optional(),
    walSize: Kind.SIZE.optional(),
  }).check(scope, 'storage', storage);
  checkSize(scope, 'storage.size', storage.size);
  if (storage.walSize !== undefined) {
    checkSize(scope, 'storage.walSize', storage.walSize);
  }
  const quarter = Size.kibibytes(Math.ceil(kib(storage.size) / 4));
  const walSize = storage.walSize ?? (kib(quarter) >= kib(MIN_WAL_SIZE) ? quarter : MIN_WAL_SIZE);
  check(kib(storage.size) >= kib(MIN_DATA_SIZE), scope, 'storage.size', sizeQuantity(storage.size), 'must be at least 1Gi');
  check(kib(walSize) >= kib(MIN_WAL_SIZE), scope, 'storage.walSize', sizeQuantity(walSize),
    'must be at least 2Gi: the WAL volume holds max_wal_size (1GB) between checkpoints plus the WAL kept for standbys');
  if (storage.storageClassName !== undefined) {
    checkDnsSubdomain(scope, 'storage.storageClassName', storage.storageClassName);
  }
  return walSize;
}
