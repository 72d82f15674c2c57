import { GuardrailObject, ObjectIndex } from '../objects';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';
import { REPLICATED_KINDS } from './util';

/** Pods a budget lets go at once when `replicas` run, per its `minAvailable` or `maxUnavailable`. */
function evictable(budget: any, replicas: number): number {
  const amount = (value: number | string, roundUp: boolean): number => {
    if (typeof value === 'number') {
      return value;
    }
    const share = (Number(value.replace('%', '')) * replicas) / 100;
    return roundUp ? Math.ceil(share) : Math.floor(share);
  };
  if (budget.maxUnavailable !== undefined) {
    return amount(budget.maxUnavailable, true);
  }
  // Kubernetes rounds a minAvailable percentage up, which keeps more pods than the share.
  return budget.minAvailable !== undefined ? replicas - amount(budget.minAvailable, true) : replicas;
}

function describeBudget(spec: any): string {
  return spec.maxUnavailable !== undefined ? `maxUnavailable ${spec.maxUnavailable}` : `minAvailable ${spec.minAvailable}`;
}

/** The workloads a budget protects, each with the autoscaler that scales it, if any. */
function protectedWorkloads(budget: GuardrailObject, index: ObjectIndex): Array<[GuardrailObject, GuardrailObject | undefined]> {
  return index.workloadsSelectedBy(budget.namespace, budget.manifest.spec?.selector)
    .filter((w) => REPLICATED_KINDS.has(w.kind))
    .map((w) => [w, index.autoscalerOf(w)]);
}

/** Disruption budgets that protect without blocking node drains. */
export const AVAILABILITY_RULES: readonly GuardrailRule[] = [
  {
    id: 'pdb-allows-drain',
    rule: 'a PodDisruptionBudget must allow at least one eviction (maxUnavailable >= 1, or minAvailable below the replicas)',
    reason: 'a budget that allows no eviction blocks every node drain, and with it cluster upgrades and autoscaler scale-down',
    fix: 'use maxUnavailable: 1 (ProductionApp\'s default), or keep minAvailable below the workload\'s replicas',
    sources: [RuleSource.DESIGN, RuleSource.KUBE_SCORE, RuleSource.KUBE_LINTER],
    level: RuleLevel.ERROR,
    kinds: ['PodDisruptionBudget'],
    check: (o, index) => {
      const spec = o.manifest.spec ?? {};
      if (spec.maxUnavailable === 0 || spec.maxUnavailable === '0%' || spec.minAvailable === '100%') {
        return [`${describeBudget(spec)} allows no eviction`];
      }
      return protectedWorkloads(o, index)
        .filter(([workload, autoscaler]) => autoscaler === undefined && evictable(spec, workload.manifest.spec?.replicas ?? 1) < 1)
        .map(([workload]) => `${describeBudget(spec)} allows no eviction of the ${workload.manifest.spec?.replicas ?? 1} replicas of ${workload.title}`);
    },
  },
  {
    id: 'pdb-below-hpa-min',
    rule: 'a PodDisruptionBudget of an autoscaled workload must allow an eviction at the autoscaler\'s minReplicas',
    reason: 'at its minimum the workload would keep every pod, and drains block whenever load is low',
    fix: 'use maxUnavailable: 1, or keep minAvailable below the HorizontalPodAutoscaler\'s minReplicas',
    sources: [RuleSource.DESIGN, RuleSource.KUBE_LINTER],
    level: RuleLevel.ERROR,
    kinds: ['PodDisruptionBudget'],
    check: (o, index) => {
      const spec = o.manifest.spec ?? {};
      return protectedWorkloads(o, index).flatMap(([workload, autoscaler]) => {
        const min = autoscaler?.manifest.spec?.minReplicas ?? 1;
        return autoscaler !== undefined && evictable(spec, min) < 1
          ? [`${describeBudget(spec)} allows no eviction at minReplicas ${min} of ${autoscaler.title}, which scales ${workload.title}`]
          : [];
      });
    },
  },
];
