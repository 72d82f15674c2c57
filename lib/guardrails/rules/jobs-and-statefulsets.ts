import { GuardrailObject, selects } from '../objects';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';

/** The CronJob controller looks at its CronJobs every 10 s (kubernetes.io, CronJob, "Deadline for delayed Job start"). */
const MIN_STARTING_DEADLINE_SECONDS = 10;
const RESTART_POLICIES = ['Never', 'OnFailure'];

/** The spec of the Jobs an object runs: its own for a Job, its `jobTemplate`'s for a CronJob. */
function jobSpec(o: GuardrailObject): any {
  return o.kind === 'CronJob' ? o.manifest.spec?.jobTemplate?.spec ?? {} : o.manifest.spec ?? {};
}

/**
 * Jobs that the API server accepts and that clean up after themselves, CronJobs that keep
 * scheduling, and StatefulSets whose replicas have names and keep their data. Each rule looks at
 * objects of the core API groups only (`o.pod` is set for those).
 */
export const JOB_AND_STATEFULSET_RULES: readonly GuardrailRule[] = [
  {
    id: 'job-restart-policy',
    rule: 'Jobs and CronJobs must run their pods with restartPolicy Never or OnFailure',
    reason: 'the API server refuses a Job whose pods restart Always, the pod default when unset (kubernetes pkg/apis/batch/validation validateJobSpec), so the apply fails',
    fix: 'set restartPolicy of the pod template to Never or OnFailure (OneOffJob and ScheduledJob set Never)',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    kinds: ['Job', 'CronJob'],
    check: (o) => {
      const policy = o.pod?.spec.restartPolicy;
      if (o.pod === undefined || RESTART_POLICIES.includes(policy)) {
        return [];
      }
      return [policy === undefined
        ? 'pod sets no restartPolicy, which defaults to Always: the API server refuses it in a Job'
        : `pod restartPolicy is ${policy}: the API server refuses it in a Job`];
    },
  },
  {
    id: 'job-ttl',
    rule: 'standalone Jobs must set ttlSecondsAfterFinished, and the Jobs of a CronJob must not',
    reason: 'finished Jobs and their pods stay until deleted; a CronJob deletes its own by its history limits, and a TTL in its jobTemplate deletes them regardless',
    fix: 'set spec.ttlSecondsAfterFinished on a Job (or suppress the rule with the way it is cleaned up, as OneOffJob does when the GitOps prune deletes it), and remove it from a CronJob\'s jobTemplate',
    sources: [RuleSource.KUBE_LINTER],
    level: RuleLevel.ERROR,
    kinds: ['Job', 'CronJob'],
    check: (o) => {
      const ttl = jobSpec(o).ttlSecondsAfterFinished;
      if (o.pod === undefined) {
        return [];
      }
      if (o.kind === 'Job') {
        return ttl === undefined ? ['sets no ttlSecondsAfterFinished: the finished Job and its pods stay until someone deletes them'] : [];
      }
      return ttl !== undefined
        ? [`jobTemplate sets ttlSecondsAfterFinished (${ttl}), which deletes finished Jobs regardless of successfulJobsHistoryLimit and failedJobsHistoryLimit`]
        : [];
    },
  },
  {
    id: 'cronjob-starting-deadline',
    rule: `CronJobs must set startingDeadlineSeconds, of at least ${MIN_STARTING_DEADLINE_SECONDS}`,
    reason: 'without it the controller counts every run missed since the last one and, past 100 (after a controller outage), stops starting the CronJob; '
      + `below ${MIN_STARTING_DEADLINE_SECONDS} s, the controller's period, a run may never start`,
    fix: `set spec.startingDeadlineSeconds to ${MIN_STARTING_DEADLINE_SECONDS} or more (ScheduledJob sets 300 unless told otherwise)`,
    sources: [RuleSource.KUBE_SCORE],
    level: RuleLevel.ERROR,
    kinds: ['CronJob'],
    check: (o) => {
      const deadline = o.manifest.spec?.startingDeadlineSeconds;
      if (o.pod === undefined) {
        return [];
      }
      if (deadline === undefined) {
        return ['sets no startingDeadlineSeconds: after more than 100 missed runs the controller stops starting it'];
      }
      return deadline < MIN_STARTING_DEADLINE_SECONDS
        ? [`sets startingDeadlineSeconds to ${deadline}, below the ${MIN_STARTING_DEADLINE_SECONDS} s between the controller's looks at it: runs may never start`]
        : [];
    },
  },
  {
    id: 'statefulset-headless-service',
    rule: 'a StatefulSet must name, as spec.serviceName, a headless Service of the app that selects its pods',
    reason: 'the governing Service gives each replica its stable DNS name (<pod>.<service>); missing, not headless or selecting other pods, the replicas cannot find each other by name',
    fix: 'set spec.serviceName to a Service with clusterIP: None whose selector matches the pod labels (StatefulApp does)',
    sources: [RuleSource.KUBE_SCORE, RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    kinds: ['StatefulSet'],
    check: (o, index) => {
      const name = o.manifest.spec?.serviceName;
      if (o.pod === undefined) {
        return [];
      }
      if (typeof name !== 'string' || name === '') {
        return ['sets no spec.serviceName: its pods get no stable DNS names'];
      }
      const service = index.ofKind('Service', o.namespace).find((s) => s.name === name);
      if (service === undefined) {
        return [`names Service '${name}' as its governing Service, which is not in the app`];
      }
      const spec = service.manifest.spec ?? {};
      const selector = spec.selector ?? {};
      return [
        ...spec.clusterIP === 'None' ? [] : [`names Service '${name}', which is not headless (clusterIP: None)`],
        ...Object.keys(selector).length > 0 && selects({ matchLabels: selector }, o.pod.labels) ? [] : [`names Service '${name}', which does not select its pods`],
      ];
    },
  },
  {
    id: 'statefulset-claims-retained',
    rule: 'a StatefulSet must retain the claims of its volume claim templates when it is deleted and when it scales down',
    reason: 'with Delete, a prune, a rename or a scale-down (by hand or by an autoscaler) deletes the claims, and with them the data',
    fix: 'set spec.persistentVolumeClaimRetentionPolicy whenDeleted and whenScaled to Retain, the API default (StatefulApp sets both)',
    sources: [RuleSource.DESIGN],
    level: RuleLevel.ERROR,
    kinds: ['StatefulSet'],
    check: (o) => {
      const spec = o.manifest.spec ?? {};
      if (o.pod === undefined || (spec.volumeClaimTemplates ?? []).length === 0) {
        return [];
      }
      const policy = spec.persistentVolumeClaimRetentionPolicy ?? {};
      return (['whenDeleted', 'whenScaled'] as const).filter((when) => policy[when] === 'Delete').map((when) =>
        `deletes its claims ${when === 'whenDeleted' ? 'when it is deleted' : 'when it scales down'} (persistentVolumeClaimRetentionPolicy.${when}: Delete)`);
    },
  },
];
