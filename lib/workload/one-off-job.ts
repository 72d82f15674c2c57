import { Duration } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { check } from '../core/errors';
import { recordException } from '../core/exceptions';
import { shortHash } from '../core/hashing';
import { Kind, checkProps } from '../core/kinds';
import { boundedName } from '../core/names';
import { checkWholeSeconds } from '../core/quantities';
import { UpgradeStep, markUpgradeStep } from '../core/upgrade-steps';
import { INT32_MAX } from '../core/validate';
import { NetworkPeer } from '../network/network-peer';
import { NetworkPolicyRules } from '../network/network-policy-rules';
import { HardenedPodTemplate } from './_pod-template';
import { WorkloadBase } from './_workload-base';
import { addNetworkPolicy } from './_workload-parts';
import { JOB_RUN_KINDS, JobRunProps, newJobParts } from './job-run';
import { IWorkload, WORKLOAD_KIND, WorkloadPort } from './workload';

/** Characters of the hash of the Job's spec appended to its name. */
const SPEC_HASH_LENGTH = 10;
/** Longest name a Job keeps whole: with `-<hash>` its Job name, and the `job-name` label of its pods, stay within 63 characters. */
const MAX_JOB_PREFIX_LENGTH = 63 - SPEC_HASH_LENGTH - 1;
/** Id of the guardrail that asks standalone Jobs for a TTL (kube-linter `job-ttl-seconds-after-finished`). */
const JOB_TTL_RULE = 'job-ttl';

/** When a finished {@link OneOffJob} and its pods are deleted. */
export class JobCleanup {
  /**
   * Kept, with its pods and their logs, until a new version replaces it. The Job's name carries a hash
   * of its spec, so a new version is a new Job and the old one leaves the manifests: the GitOps prune
   * (Argo CD `prune`, Flux `prune`) deletes it. With plain `kubectl apply`, old Jobs stay until deleted
   * (`kubectl apply --prune`, or by hand); finished pods take no CPU, memory or `pods` quota.
   */
  public static whenReplaced(): JobCleanup {
    return new JobCleanup(undefined);
  }

  /**
   * Deleted `ttl` after it finishes (`ttlSecondsAfterFinished`), by the TTL-after-finished controller.
   * Right when the Job is an Argo CD hook or applied with `kubectl apply`; in a bundle that Argo CD
   * (with self-heal) or Flux keeps in sync, the tool sees the deleted Job as missing, creates it again
   * and so runs it again (argoproj/argo-cd#8586), every `ttl`.
   */
  public static afterFinished(ttl: Duration): JobCleanup {
    return new JobCleanup(ttl);
  }

  private constructor(
    /** Time after which the finished Job is deleted, when it is. */
    public readonly ttl: Duration | undefined,
  ) {}
}

/** Props of a {@link OneOffJob}. */
export interface OneOffJobProps extends JobRunProps {
  /**
   * Name of the Job's objects (a DNS label). The Job itself is `<name>-<hash of its spec>`, within the 63
   * characters of its pods' `job-name` label: a name longer than 52 characters is cut there and ends
   * with a hash of the whole name.
   * @default - the construct id in kebab-case
   */
  readonly name?: string;
  /** When the finished Job is deleted. @default JobCleanup.whenReplaced() */
  readonly cleanup?: JobCleanup;
}

/**
 * A Job named after a hash of its spec, so that a change of spec (a new image) is a new Job: a Job's
 * pod template is immutable, and applying a new template to a Job of the same name fails
 * (`field is immutable`; kubernetes `pkg/apis/batch/validation` `ValidateJobSpecUpdate`). The hash
 * is taken over the rendered spec, so it also covers what bindings add after construction.
 */
class HashNamedJob extends k8s.KubeJob {
  public toJson(): any {
    const json = super.toJson();
    json.metadata.name = `${this.name}-${shortHash(JSON.stringify(json.spec), SPEC_HASH_LENGTH)}`;
    return json;
  }
}

/**
 * A job that runs to completion once per version, e.g. the database migrations a release needs:
 * ServiceAccount, Job and NetworkPolicy, with the pods of every workload of the library (hardened,
 * with requests and limits, on the node pool) and neither a Service nor a disruption budget, probes
 * or spreading: it serves nothing, and the Job controller replaces a pod lost with its node.
 *
 * The Job is named `<name>-<hash of its spec>`: a new version (a new image, new arguments, a new
 * binding) is a new Job, which runs once, since a Job's pod template cannot be changed in place. By
 * default a finished Job is kept until the next version replaces it (see {@link JobCleanup}).
 *
 * `prepares(app)` says which workload it prepares: the Job is written before it and becomes an upgrade
 * step (a migration). With `ApplyOrder`, the Job is applied in the migrations layer, after the databases
 * and their pre-upgrade backups and before the workloads: Argo CD waits for it to complete before the
 * next wave and stops the sync when it fails, so the workloads keep their old version. Applied without
 * an order (one `kubectl apply`, one sync of unordered manifests), the Job and the workload start
 * together: apply the layers in order (README, "Upgrading").
 */
export class OneOffJob extends WorkloadBase {
  /** Name of the job's objects; the Job itself is `<name>-<hash of its spec>`, known at synth. */
  public readonly name: string;
  /** Namespace of the job's objects. */
  public readonly namespace: string;
  /** Labels that select the job's pods. */
  public readonly selectorLabels: Record<string, string>;
  /** The job's pods as a NetworkPolicy peer. */
  public readonly peer: NetworkPeer;
  /** None: a job serves nothing. */
  public readonly ports: readonly WorkloadPort[] = [];
  /** The Job. */
  public readonly job: k8s.KubeJob;
  /** The ServiceAccount the pods run as. */
  public readonly serviceAccount: k8s.KubeServiceAccount;
  /** The NetworkPolicy of the pods: nothing in; out to cluster DNS and what the job connects to. */
  public readonly networkPolicy: NetworkPolicyRules;
  /** The ConfigMap, when config is given. */
  public readonly configMap?: k8s.KubeConfigMap;

  protected readonly pod: HardenedPodTemplate;
  private readonly preparedWorkloads: IWorkload[] = [];

  public constructor(scope: Construct, id: string, props: OneOffJobProps) {
    super(scope, id);
    checkProps(this, props, {
      ...JOB_RUN_KINDS,
      cleanup: Kind.instance(JobCleanup, 'a JobCleanup (JobCleanup.whenReplaced or JobCleanup.afterFinished)').optional(),
    }, 'OneOffJobProps');
    const cleanup = props.cleanup ?? JobCleanup.whenReplaced();
    if (cleanup.ttl !== undefined) {
      checkWholeSeconds(this, 'cleanup.ttl', cleanup.ttl, 0, INT32_MAX);
    }
    const parts = newJobParts(this, id, props, 'OneOffJob');
    const { settings } = parts;
    this.name = settings.name;
    this.namespace = settings.namespace;
    this.selectorLabels = settings.selectorLabels;
    this.peer = NetworkPeer.pods(this.selectorLabels, this.namespace);
    this.serviceAccount = parts.serviceAccount;
    this.configMap = parts.configMap;
    this.pod = parts.pod;

    this.job = new HashNamedJob(this, 'Resource', {
      metadata: { ...settings.metadata, name: boundedName(settings.name, MAX_JOB_PREFIX_LENGTH) },
      spec: { ...parts.run, ttlSecondsAfterFinished: cleanup.ttl?.toSeconds(), template: this.pod.render() },
    });
    if (cleanup.ttl === undefined) {
      recordException(this.job, JOB_TTL_RULE, 'cleaned up when a new version replaces it: the Job is named after a hash of its spec, so the '
        + 'GitOps prune deletes the previous one; a TTL would make Argo CD (self-heal) or Flux create it again and run it again');
    }
    this.networkPolicy = addNetworkPolicy(this, settings, props);
  }

  /** The workloads this job prepares (`prepares`), in the order given: what a later upgrade step orders after it. */
  public get prepared(): readonly IWorkload[] {
    return [...this.preparedWorkloads];
  }

  /**
   * Records that this job prepares `workloads` (migrates their database, fills a cache, ...): each
   * depends on the job, so the Job is written before their objects, `prepared` lists them, and the Job
   * is a migration step of the upgrade: it must succeed before they roll out.
   */
  public prepares(...workloads: IWorkload[]): void {
    workloads.forEach((workload, i) => WORKLOAD_KIND.check(this, `prepares[${i}]`, workload));
    for (const workload of workloads) {
      check(workload !== this, this, 'prepares', this.node.path, 'must name another workload: a job cannot prepare itself');
      if (!this.preparedWorkloads.includes(workload)) {
        workload.node.addDependency(this);
        this.preparedWorkloads.push(workload);
      }
    }
    if (this.preparedWorkloads.length > 0) {
      markUpgradeStep(this.job, UpgradeStep.MIGRATION);
    }
  }
}
