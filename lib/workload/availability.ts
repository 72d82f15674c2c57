import { ApiObjectMetadata, Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { check } from '../core/errors';
import { Kind } from '../core/kinds';
import { Prerequisite } from '../core/prerequisites';
import { checkWholeSeconds } from '../core/quantities';
import { INT32_MAX, checkInteger } from '../core/validate';

/**
 * The longest scale-down stabilization window the API server accepts (kubernetes
 * `pkg/apis/autoscaling/validation`: MaxStabilizationWindowSeconds, 3600).
 */
const MAX_STABILIZATION_SECONDS = 3600;

/** Horizontal pod autoscaling of a workload. */
export interface AutoscalingOptions {
  /** Whether an autoscaling/v2 HorizontalPodAutoscaler manages the replica count. @default true */
  readonly enabled?: boolean;
  /** Most replicas the autoscaler may run. @default - the larger of 10 and twice `replicas` */
  readonly maxReplicas?: number;
  /** Average CPU utilisation (% of requests) the autoscaler aims for. @default 70 */
  readonly targetCpuUtilization?: number;
  /** Average memory utilisation (% of requests) the autoscaler aims for. @default 80 */
  readonly targetMemoryUtilization?: number;
  /** How long load must stay low before replicas are removed. @default Duration.minutes(5) */
  readonly scaleDownStabilization?: Duration;
}

/** The PodDisruptionBudget of a workload. */
export interface DisruptionBudgetOptions {
  /** Whether a PodDisruptionBudget protects the pods during voluntary disruptions. @default - true when `replicas` is at least 2 */
  readonly enabled?: boolean;
  /** Pods that may be evicted at once; at least 1, so a drain can always proceed. @default 1 */
  readonly maxUnavailable?: number;
}

/** The autoscaler and the disruption budget of a workload, defaults resolved; each unset when disabled. */
export interface Availability {
  /** The autoscaler's bounds and targets (what it scales is the workload's controller). */
  readonly autoscaler?: Omit<AutoscalerSpec, 'target' | 'minReplicas'>;
  /** Pods the disruption budget lets go at once. */
  readonly maxUnavailable?: number;
}

/**
 * Resolves the autoscaling and disruption budget of a workload of `replicas` (the autoscaler's
 * minimum), and checks them: the autoscaler's bounds and targets, and a budget that never blocks a
 * drain yet keeps pods up.
 * @internal
 */
export function resolveAvailability(scope: IConstruct, replicas: number, autoscaling: AutoscalingOptions = {},
  budget: DisruptionBudgetOptions = {}): Availability {
  const autoscaler = (autoscaling.enabled ?? true) ? {
    maxReplicas: autoscaling.maxReplicas ?? Math.max(10, 2 * replicas),
    targetCpuUtilization: autoscaling.targetCpuUtilization ?? 70,
    targetMemoryUtilization: autoscaling.targetMemoryUtilization ?? 80,
    scaleDownStabilization: autoscaling.scaleDownStabilization ?? Duration.minutes(5),
  } : undefined;
  const maxUnavailable = (budget.enabled ?? replicas >= 2) ? budget.maxUnavailable ?? 1 : undefined;
  if (autoscaler) {
    checkInteger(scope, 'autoscaling.maxReplicas', autoscaler.maxReplicas, replicas, INT32_MAX);
    checkInteger(scope, 'autoscaling.targetCpuUtilization', autoscaler.targetCpuUtilization, 1, 100);
    checkInteger(scope, 'autoscaling.targetMemoryUtilization', autoscaler.targetMemoryUtilization, 1, 100);
    checkWholeSeconds(scope, 'autoscaling.scaleDownStabilization', autoscaler.scaleDownStabilization, 0, MAX_STABILIZATION_SECONDS);
  }
  if (maxUnavailable !== undefined) {
    check(replicas >= 2, scope, 'replicas', replicas,
      'must be at least 2 when a PodDisruptionBudget is enabled: with one replica the budget either blocks node drains or protects nothing');
    check(Number.isInteger(maxUnavailable) && maxUnavailable >= 1 && maxUnavailable < replicas, scope, 'disruptionBudget.maxUnavailable',
      maxUnavailable, `must be an integer from 1 to ${replicas - 1} (replicas - 1), so that drains proceed and some pods stay up`);
  }
  return { autoscaler, maxUnavailable };
}

/**
 * {@link AutoscalingOptions}, as a prop's kind.
 * @internal
 */
export const AUTOSCALING_KIND = Kind.object('an AutoscalingOptions object', {
  enabled: Kind.BOOLEAN.optional(),
  maxReplicas: Kind.NUMBER.optional(),
  targetCpuUtilization: Kind.NUMBER.optional(),
  targetMemoryUtilization: Kind.NUMBER.optional(),
  scaleDownStabilization: Kind.DURATION.optional(),
});

/**
 * {@link DisruptionBudgetOptions}, as a prop's kind.
 * @internal
 */
export const DISRUPTION_BUDGET_KIND = Kind.object('a DisruptionBudgetOptions object', {
  enabled: Kind.BOOLEAN.optional(),
  maxUnavailable: Kind.NUMBER.optional(),
});

/** What an autoscaler scales, and between which bounds. */
export interface AutoscalerSpec {
  /** The scaled object (`apps/v1`), e.g. `{ kind: 'Deployment', name: 'api' }`. */
  readonly target: { readonly kind: string; readonly name: string };
  /** Fewest replicas. */
  readonly minReplicas: number;
  /** Most replicas. */
  readonly maxReplicas: number;
  /** Average CPU utilisation (% of requests) aimed for. */
  readonly targetCpuUtilization: number;
  /** Average memory utilisation (% of requests) aimed for. */
  readonly targetMemoryUtilization: number;
  /** How long load must stay low before replicas are removed. */
  readonly scaleDownStabilization: Duration;
}

/**
 * An autoscaling/v2 HorizontalPodAutoscaler on CPU and memory that scales up fast (double, or 4
 * pods, a minute) and down slowly (half a minute, after the stabilization window).
 * @internal
 */
export function addAutoscaler(scope: Construct, id: string, metadata: ApiObjectMetadata, spec: AutoscalerSpec): k8s.KubeHorizontalPodAutoscalerV2 {
  Prerequisite.declare(scope, Prerequisite.clusterObject('APIService', 'v1beta1.metrics.k8s.io',
    'the HorizontalPodAutoscalers scale on CPU and memory utilization, which they read from the resource metrics API (metrics-server serves it)'));
  return new k8s.KubeHorizontalPodAutoscalerV2(scope, id, {
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: spec.target.kind, name: spec.target.name },
      minReplicas: spec.minReplicas,
      maxReplicas: spec.maxReplicas,
      metrics: [utilization('cpu', spec.targetCpuUtilization), utilization('memory', spec.targetMemoryUtilization)],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 60,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 60 }, { type: 'Pods', value: 4, periodSeconds: 60 }],
        },
        scaleDown: {
          stabilizationWindowSeconds: spec.scaleDownStabilization.toSeconds(),
          selectPolicy: 'Min',
          policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
        },
      },
    },
  });
}

function utilization(resource: 'cpu' | 'memory', averageUtilization: number): k8s.MetricSpecV2 {
  return { type: 'Resource', resource: { name: resource, target: { type: 'Utilization', averageUtilization } } };
}
