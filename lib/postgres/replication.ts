import { IConstruct } from 'constructs';
import {
  ClusterSpecPostgresqlSynchronous, ClusterSpecPostgresqlSynchronousDataDurability, ClusterSpecPostgresqlSynchronousMethod,
} from '../../imports/postgresql.cnpg.io';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { checkInteger } from '../core/validate';

/** How far a commit must travel before PostgreSQL reports it committed. */
export enum DataDurability {
  /** A commit waits for the synchronous standbys; with too few of them, writes stop rather than risk data loss (RPO 0). */
  REQUIRED = 'required',
  /** A commit waits for the synchronous standbys that are healthy; with none, writes go on unreplicated. */
  PREFERRED = 'preferred',
}

/** How PostgreSQL picks the standbys a commit waits for. */
export enum SynchronousMethod {
  /** Quorum commit (`ANY n`): any `n` standbys acknowledge. The operator can then fail over only to a standby that has every commit. */
  QUORUM = 'any',
  /** Priority commit (`FIRST n`): the first `n` healthy standbys in a fixed order acknowledge. */
  PRIORITY = 'first',
}

/** Options of {@link PostgresReplication.synchronous}. */
export interface SynchronousReplicationOptions {
  /** Standbys that acknowledge each commit. @default 1 */
  readonly standbys?: number;
  /** What happens when fewer standbys are available. @default DataDurability.REQUIRED */
  readonly durability?: DataDurability;
  /** How the acknowledging standbys are chosen. @default SynchronousMethod.QUORUM */
  readonly method?: SynchronousMethod;
}

/**
 * How the standbys follow the primary.
 * @see https://cloudnative-pg.io/documentation/current/replication/#synchronous-replication
 */
export class PostgresReplication {
  /** Commits wait for `standbys` standbys to write them: a failover loses no committed transaction. */
  public static synchronous(options: SynchronousReplicationOptions = {}): PostgresReplication {
    return new PostgresReplication(true, options?.standbys ?? 1, options?.durability ?? DataDurability.REQUIRED, options?.method ?? SynchronousMethod.QUORUM);
  }

  /** Standbys stream the WAL without holding commits back: a failover may lose the last commits. */
  public static asynchronous(): PostgresReplication {
    return new PostgresReplication(false, 0, DataDurability.PREFERRED, SynchronousMethod.QUORUM);
  }

  private constructor(
    /** Whether commits wait for standbys. */
    public readonly isSynchronous: boolean,
    /** Standbys that acknowledge each commit. */
    public readonly standbys: number,
    /** What happens when fewer standbys are available. */
    public readonly durability: DataDurability,
    /** How the acknowledging standbys are chosen. */
    public readonly method: SynchronousMethod,
  ) {}
}


/**
 * Checks that the standbys a commit waits for exist: at least one, and fewer than the instances.
 * Whether that survives the loss of a standby in production is the `postgres-quorum-survives-loss` guardrail's call.
 * @internal
 */
export function checkReplication(scope: IConstruct, replication: PostgresReplication, instances: number): void {
  Kind.instance(PostgresReplication, 'a PostgresReplication (PostgresReplication.synchronous or PostgresReplication.asynchronous)')
    .check(scope, 'replication', replication);
  if (!replication.isSynchronous) {
    return;
  }
  Kind.oneOf(DataDurability, 'a DataDurability').check(scope, 'replication.durability', replication.durability);
  Kind.oneOf(SynchronousMethod, 'a SynchronousMethod').check(scope, 'replication.method', replication.method);
  checkInteger(scope, 'replication.standbys', replication.standbys, 1);
  check(replication.standbys < instances, scope, 'replication.standbys', replication.standbys,
    `must be less than 'instances' (${instances}): commits wait for that many standbys besides the primary`);
}

/**
 * The Cluster's `postgresql.synchronous` section, or `undefined` for asynchronous standbys.
 * @internal
 */
export function renderSynchronous(replication: PostgresReplication): ClusterSpecPostgresqlSynchronous | undefined {
  if (!replication.isSynchronous) {
    return undefined;
  }
  const quorum = replication.method === SynchronousMethod.QUORUM;
  return {
    method: quorum ? ClusterSpecPostgresqlSynchronousMethod.ANY : ClusterSpecPostgresqlSynchronousMethod.FIRST,
    number: replication.standbys,
    dataDurability: replication.durability === DataDurability.REQUIRED
      ? ClusterSpecPostgresqlSynchronousDataDurability.REQUIRED : ClusterSpecPostgresqlSynchronousDataDurability.PREFERRED,
    // With quorum commit and required durability, the operator promotes only a standby known to hold every commit.
    failoverQuorum: quorum && replication.durability === DataDurability.REQUIRED ? true : undefined,
  };
}
