import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { check } from '../core/errors';
import { Kind, Kinds } from '../core/kinds';
import { checkWholeSeconds } from '../core/quantities';
import { INT32_MAX, checkInteger } from '../core/validate';
import { HardenedPodTemplate, OwnVolume } from './_pod-template';
import { WORKLOAD_KINDS, WorkloadSettings, addConfig, addServiceAccount, newPod, resolveWorkload } from './_workload-parts';
import { WorkloadProps } from './workload-props';

/**
 * What the pod of a Job does when its container fails. The API server accepts only these two for a
 * Job (kubernetes `pkg/apis/batch/validation` `validateJobSpec`: `Always`, the pod default, is refused).
 */
export enum JobRestartPolicy {
  /** A failed pod stays failed, with its logs, and the Job starts a new pod (counted by `backoffLimit`). */
  NEVER = 'Never',
  /** The kubelet restarts the failed container in the same pod; the logs of earlier attempts are lost but the last one's. */
  ON_FAILURE = 'OnFailure',
}

/** How a Job runs, for a {@link OneOffJob} and the runs of a {@link ScheduledJob}. */
export interface JobRunProps extends WorkloadProps {
  /**
   * Retries before the Job is marked failed, with the Job controller's exponential back-off (10 s,
   * 20 s, 40 s, ...): transient failures (the database restarting, a node drained) pass, a deterministic
   * one fails within about a minute.
   * @default 3
   */
  readonly backoffLimit?: number;
  /** Longest a run may take, retries included, before the Job is failed and its pods stopped. @default Duration.hours(1) */
  readonly activeDeadline?: Duration;
  /** What the pod does when the container fails. @default JobRestartPolicy.NEVER */
  readonly restartPolicy?: JobRestartPolicy;
}

/**
 * The objects every job kind shares: a ServiceAccount, the config, a hardened pod that is not spread
 * (one pod at a time: the Job controller replaces a pod lost with its node), and a NetworkPolicy that
 * admits nothing and lets out cluster DNS and the peers the job connects to.
 * @internal
 */
export interface JobParts {
  readonly settings: WorkloadSettings;
  readonly serviceAccount: k8s.KubeServiceAccount;
  readonly configMap?: k8s.KubeConfigMap;
  readonly pod: HardenedPodTemplate;
  /** `backoffLimit` and `activeDeadlineSeconds` of the Job spec. */
  readonly run: Pick<k8s.JobSpec, 'backoffLimit' | 'activeDeadlineSeconds'>;
}

/**
 * Resolves and checks the props of a job kind, then creates its ServiceAccount, config and pod. The
 * NetworkPolicy (`addNetworkPolicy`) comes after the controller object, as for every workload.
 * @internal
 */
export function newJobParts(scope: Construct, id: string, props: JobRunProps, kind: string, maxNameLength?: number, nameReason?: string): JobParts {
  const settings = resolveWorkload(scope, id, props, { kind, maxNameLength, nameReason, servesHttp: false });
  const backoffLimit = props.backoffLimit ?? 3;
  checkInteger(scope, 'backoffLimit', backoffLimit, 0, INT32_MAX);
  const activeDeadline = props.activeDeadline ?? Duration.hours(1);
  checkWholeSeconds(scope, 'activeDeadline', activeDeadline, 1);
  const restartPolicy = props.restartPolicy ?? JobRestartPolicy.NEVER;
  check(Object.values(JobRestartPolicy).includes(restartPolicy), scope, 'restartPolicy', restartPolicy,
    'must be Never or OnFailure: the API server refuses any other restart policy in a Job');

  const serviceAccount = addServiceAccount(scope, settings, props);
  const config = addConfig(scope, settings, props);
  const pod = newPod(scope, settings, props, {
    serviceAccountName: serviceAccount.name,
    ports: [],
    probes: {},
    envFrom: config.envFrom,
    ownVolumes: [config.volume].filter((v): v is OwnVolume => v !== undefined),
    reservedVolumeNames: ['config'],
    restartPolicy,
  });
  return {
    settings,
    serviceAccount,
    configMap: config.configMap,
    pod,
    run: { backoffLimit, activeDeadlineSeconds: activeDeadline.toSeconds() },
  };
}

/**
 * {@link JobRunProps}, kind by kind, for callers without a type checker.
 * @internal
 */
export const JOB_RUN_KINDS: Kinds<JobRunProps> = {
  ...WORKLOAD_KINDS,
  backoffLimit: Kind.NUMBER.optional(),
  activeDeadline: Kind.DURATION.optional(),
  // A string: the check of the restart policy says which ones a Job takes, and why.
  restartPolicy: Kind.STRING.optional(),
};
