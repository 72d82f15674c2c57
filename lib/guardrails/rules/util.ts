import { GuardrailObject, PodContainer } from '../objects';

/** `container 'api'`, `init container 'migrate'` or `ephemeral container 'debug'`. */
export function containerName(container: PodContainer): string {
  const prefix = { containers: 'container', initContainers: 'init container', ephemeralContainers: 'ephemeral container' }[container.list];
  return `${prefix} '${container.spec.name}'`;
}

/** One message per container of `object` for which `problem` returns one. */
export function eachContainer(object: GuardrailObject, problem: (container: PodContainer) => string | undefined): string[] {
  const messages: string[] = [];
  for (const container of object.containers) {
    const message = problem(container);
    if (message !== undefined) {
      messages.push(`${containerName(container)} ${message}`);
    }
  }
  return messages;
}

/** The replicas a workload runs at its smallest: the autoscaler's minimum when it has one, else `spec.replicas`. */
export function minimumReplicas(workload: GuardrailObject, autoscaler: GuardrailObject | undefined): number | undefined {
  if (autoscaler !== undefined) {
    return autoscaler.manifest.spec?.minReplicas ?? 1;
  }
  if (!REPLICATED_KINDS.has(workload.kind)) {
    return undefined;
  }
  return workload.manifest.spec?.replicas ?? 1;
}

/** Kinds whose replica count is `spec.replicas`. */
export const REPLICATED_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);
