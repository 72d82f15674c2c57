import { Image } from '../../workload/image';
import { WORKLOAD_KINDS } from '../objects';
import { GuardrailRule, RuleLevel, RuleSource } from '../rule';
import { Tier } from '../tier';
import { eachContainer, minimumReplicas } from './util';

const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];
/** Workloads whose containers serve until stopped, and so need probes; Jobs run to completion. */
const LONG_RUNNING = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController'];
const HOST_TOPOLOGY = 'kubernetes.io/hostname';

/** How containers are built and sized, and how replicated workloads are placed. */
export const WORKLOAD_RULES: readonly GuardrailRule[] = [
  {
    id: 'image-pinned',
    rule: 'container images must be pinned to a version tag or a sha256 digest',
    reason: 'a floating tag (latest, dev, main) or none makes rollouts and rollbacks unrepeatable',
    fix: 'reference the image as repository:version or repository@sha256:digest (Image.pinned, Image.digest)',
    sources: [RuleSource.SEED_CHECKLIST, RuleSource.KUBE_LINTER, RuleSource.KUBE_SCORE, RuleSource.POLARIS],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => eachContainer(o, (c) => {
      const problem = typeof c.spec.image === 'string' ? Image.fromReference(c.spec.image).problem() : 'must name an image';
      return problem === undefined ? undefined : `image '${c.spec.image}' ${problem}`;
    }),
  },
  {
    id: 'resources',
    rule: 'containers must request and limit cpu, memory and ephemeral-storage',
    reason: 'without requests the scheduler overcommits nodes; without limits one container starves its neighbours or fills the node\'s disk',
    fix: 'set resources.requests and resources.limits for cpu, memory and ephemeral-storage',
    sources: [RuleSource.SEED_CHECKLIST, RuleSource.KUBE_SCORE, RuleSource.POLARIS, RuleSource.CHECKOV],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => eachContainer(o, (c) => {
      if (c.list === 'ephemeralContainers') {
        return undefined;
      }
      const missing = ['requests', 'limits'].flatMap((kind) =>
        RESOURCES.filter((r) => c.spec.resources?.[kind]?.[r] === undefined).map((r) => `${kind}.${r}`));
      return missing.length > 0 ? `has no ${missing.join(', ')}` : undefined;
    }),
  },
  {
    id: 'probes',
    rule: 'long-running containers must have a readiness and a liveness probe, and they must differ',
    reason: 'without readiness traffic reaches pods that are not ready; a liveness probe equal to readiness restarts pods whenever a dependency is down',
    fix: 'add readinessProbe (ready for traffic) and livenessProbe (must be restarted) with different checks',
    sources: [RuleSource.DESIGN, RuleSource.KUBE_SCORE, RuleSource.KUBE_LINTER, RuleSource.POLARIS],
    level: RuleLevel.ERROR,
    kinds: LONG_RUNNING,
    check: (o) => eachContainer(o, (c) => {
      if (c.list !== 'containers') {
        return undefined;
      }
      const { readinessProbe, livenessProbe } = c.spec;
      const missing = [readinessProbe === undefined ? 'readinessProbe' : '', livenessProbe === undefined ? 'livenessProbe' : ''].filter((m) => m !== '');
      if (missing.length > 0) {
        return `has no ${missing.join(' and ')}`;
      }
      return JSON.stringify(readinessProbe) === JSON.stringify(livenessProbe) ? 'has identical readiness and liveness probes' : undefined;
    }),
  },
  {
    id: 'read-only-root-filesystem',
    rule: 'containers must run with a read-only root filesystem',
    reason: 'a writable root lets an intruder change binaries and configuration of the running container',
    fix: 'set securityContext.readOnlyRootFilesystem to true and mount an emptyDir where the app writes (/tmp)',
    sources: [RuleSource.DESIGN, RuleSource.KUBE_SCORE, RuleSource.KUBE_LINTER, RuleSource.CHECKOV],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => eachContainer(o, (c) => c.spec.securityContext?.readOnlyRootFilesystem === true ? undefined : 'has a writable root filesystem'),
  },
  {
    id: 'replicas',
    rule: 'production Deployments and StatefulSets must run at least 2 replicas (the autoscaler\'s minimum when autoscaled)',
    reason: 'a single replica is down during every rollout, node drain and crash',
    fix: 'set spec.replicas (or the HorizontalPodAutoscaler\'s minReplicas) to 2 or more',
    sources: [RuleSource.DESIGN, RuleSource.POLARIS],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['Deployment', 'StatefulSet'],
    check: (o, index) => {
      const autoscaler = index.autoscalerOf(o);
      const replicas = minimumReplicas(o, autoscaler) ?? 1;
      return replicas >= 2 ? [] : [`runs ${replicas} replica${autoscaler !== undefined ? ' at the autoscaler\'s minimum' : ''}`];
    },
  },
  {
    id: 'replicated-spread',
    rule: 'replicated workloads must spread their pods over hosts (pod anti-affinity or a topology spread constraint on kubernetes.io/hostname)',
    reason: 'replicas on one node all fail with it',
    fix: 'add podAntiAffinity or a topologySpreadConstraint with topologyKey kubernetes.io/hostname (ProductionApp does both)',
    sources: [RuleSource.DESIGN, RuleSource.KUBE_SCORE],
    level: RuleLevel.ERROR,
    tiers: [Tier.PRODUCTION],
    kinds: ['Deployment', 'StatefulSet'],
    check: (o, index) => {
      if ((minimumReplicas(o, index.autoscalerOf(o)) ?? 1) < 2) {
        return [];
      }
      const spec = o.pod?.spec ?? {};
      const antiAffinity = spec.affinity?.podAntiAffinity ?? {};
      const terms = [
        ...antiAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? [],
        ...(antiAffinity.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: any) => t.podAffinityTerm),
        ...spec.topologySpreadConstraints ?? [],
      ];
      return terms.some((t: any) => t?.topologyKey === HOST_TOPOLOGY) ? [] : ['runs several replicas without spreading them over hosts'];
    },
  },
];
