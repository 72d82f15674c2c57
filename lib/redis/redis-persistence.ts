import { Size } from 'cdk8s';
import { IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { kib, sizeQuantity } from '../core/quantities';
import { checkDnsSubdomain } from '../core/validate';

/** Options of {@link RedisPersistence.appendOnly}. */
export interface AppendOnlyOptions {
  /** Capacity of each node's volume: the append-only file, its rewrites and the snapshots. The Aileron guide sizes it 5 to 10 Gi. */
  readonly size: Size;
  /**
   * StorageClass of the volumes. Prefer one with `reclaimPolicy: Retain` and volume expansion.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
}

/**
 * Whether Redis keeps its data on a volume. With a volume, the operator turns the append-only file on
 * (`appendonly yes`, and snapshots), so that a restarted node or a replaced pod starts with the data it had;
 * without one, a restart empties it: the queued tasks are lost.
 * @see https://redis.io/docs/latest/operate/oss_and_stack/management/persistence/
 */
export class RedisPersistence {
  /**
   * A volume per node with the append-only file on it (redis-operator v0.26.0: a `storage.volumeClaimTemplate`
   * passes `PERSISTENCE_ENABLED=true`, and the generated redis.conf then holds `appendonly yes` and `dir /data`,
   * internal/agent/bootstrap/redis/config.go). The claims are kept when the custom resource is deleted
   * (`storage.keepAfterDelete`) and when the manifests are pruned.
   */
  public static appendOnly(options: AppendOnlyOptions): RedisPersistence {
    return new RedisPersistence(options);
  }

  /** No volume: the data lives in memory only, and a restart loses it. The `redis-persistence` guardrail fails it in production. */
  public static none(): RedisPersistence {
    return new RedisPersistence(undefined);
  }

  private constructor(
    /** The volume of each node, when there is one. */
    public readonly volume: AppendOnlyOptions | undefined,
  ) {}

  /**
   * Checks the volume, given to `scope` as `prop`.
   * @internal
   */
  public check(scope: IConstruct, prop: string): void {
    if (this.volume === undefined) {
      return;
    }
    Kind.object('an AppendOnlyOptions object (size, and optionally storageClassName)', {
      size: Kind.SIZE,
      storageClassName: Kind.STRING.optional(),
    }).check(scope, prop, this.volume);
    check(kib(this.volume.size) >= kib(Size.gibibytes(1)), scope, `${prop}.size`, sizeQuantity(this.volume.size), 'must be at least 1Gi');
    if (this.volume.storageClassName !== undefined) {
      checkDnsSubdomain(scope, `${prop}.storageClassName`, this.volume.storageClassName);
    }
  }
}
