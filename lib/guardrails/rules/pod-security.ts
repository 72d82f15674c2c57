import { GuardrailObject, PodContainer, WORKLOAD_KINDS } from '../objects';
import { RuleLevel, RuleSource, GuardrailRule } from '../rule';
import { containerName, eachContainer } from './util';

/*
 * The checks of Kubernetes' Pod Security admission (k8s.io/pod-security-admission v0.36.2, policy/check_*.go),
 * levels baseline and restricted, control by control. The manifests target Kubernetes 1.28 to 1.36, and a
 * namespace that enforces `restricted` without a version is checked at the cluster's own version, so a pod
 * must pass at every version in between: allow-lists are those of 1.28, the oldest (sysctls, SELinux types),
 * and checks added since are applied to every version (host probes, 1.34). Relaxations added after 1.28 (any
 * value with `hostUsers: false`, 1.35) are not taken. Like the admission plugin, every container check looks
 * at containers, initContainers and ephemeralContainers (policy/visitor.go).
 */

const PSS = [RuleSource.PSS_RESTRICTED];

/** Sysctls the `baseline` profile allows at Kubernetes 1.28 (check_sysctls.go, the 1.27 set; 1.29 and 1.32 add more). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
]);
/** SELinux types allowed at 1.28 (check_seLinuxOptions.go; `container_engine_t` only from 1.31). */
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
/** Volume sources `restricted` allows (check_restrictedVolumes.go); hostPath has a rule of its own. */
const VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret']);
const SECCOMP_TYPES = new Set(['RuntimeDefault', 'Localhost']);
const APPARMOR_TYPES = new Set(['RuntimeDefault', 'Localhost']);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const LIFECYCLE_HANDLERS = ['postStart', 'preStop'];

/** Windows pods are exempt from the Linux-only restricted checks: capabilities, seccomp, privilege escalation (1.25+). */
function isWindows(o: GuardrailObject): boolean {
  return o.pod?.spec.os?.name === 'windows';
}

/** One message per problem of each container of `object`, each prefixed with the container's name. */
function containerProblems(object: GuardrailObject, problems: (container: PodContainer) => readonly string[]): string[] {
  return object.containers.flatMap((c) => problems(c).map((problem) => `${containerName(c)} ${problem}`));
}

/** The hosts set in a container's probes and lifecycle handlers, each with where. */
function probeHosts(container: any): string[] {
  const handlers: Array<[string, any]> = [
    ...PROBES.map((probe): [string, any] => [probe, container[probe]]),
    ...LIFECYCLE_HANDLERS.map((handler): [string, any] => [`lifecycle.${handler}`, container.lifecycle?.[handler]]),
  ];
  return handlers.flatMap(([where, handler]) => ['httpGet', 'tcpSocket']
    .filter((action) => (handler?.[action]?.host ?? '') !== '')
    .map((action) => `${where}.${action} sets host '${handler[action].host}'`));
}

/** What is wrong with SELinux options: a type outside the allowed ones, a user, a role. */
function seLinuxProblems(options: any): string[] {
  if (options === undefined) {
    return [];
  }
  return [
    ...SELINUX_TYPES.has(options.type ?? '') ? [] : [`sets SELinux type ${options.type}`],
    ...(options.user ?? '') !== '' ? [`sets SELinux user ${options.user}`] : [],
    ...(options.role ?? '') !== '' ? [`sets SELinux role ${options.role}`] : [],
  ];
}

export const POD_SECURITY_RULES: readonly GuardrailRule[] = [
  {
    id: 'pss-privileged',
    rule: 'containers must not run privileged',
    reason: 'a privileged container has every capability and access to the host\'s devices: a container escape is a node compromise',
    fix: 'remove securityContext.privileged or set it to false',
    sources: [...PSS, RuleSource.CIS_5, RuleSource.KUBE_LINTER, RuleSource.POLARIS],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => eachContainer(o, (c) => c.spec.securityContext?.privileged === true ? 'runs privileged' : undefined),
  },
  {
    id: 'pss-host-namespaces',
    rule: 'pods must not share the host\'s network, PID or IPC namespace',
    reason: 'host namespaces let a pod see and reach the node\'s processes, IPC and network interfaces',
    fix: 'remove hostNetwork, hostPID and hostIPC from the pod spec',
    sources: [...PSS, RuleSource.CIS_5, RuleSource.KUBE_LINTER, RuleSource.POLARIS],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => ['hostNetwork', 'hostPID', 'hostIPC'].filter((f) => o.pod?.spec[f] === true).map((f) => `pod sets ${f}`),
  },
  {
    id: 'pss-host-process',
    rule: 'Windows pods must not run as host processes',
    reason: 'a HostProcess container runs directly on the Windows node with its privileges',
    fix: 'remove securityContext.windowsOptions.hostProcess',
    sources: PSS,
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => [
      ...o.pod?.spec.securityContext?.windowsOptions?.hostProcess === true ? ['pod runs as a Windows host process'] : [],
      ...eachContainer(o, (c) => c.spec.securityContext?.windowsOptions?.hostProcess === true ? 'runs as a Windows host process' : undefined),
    ],
  },
  {
    id: 'pss-host-path',
    rule: 'pods must not mount hostPath volumes',
    reason: 'a hostPath volume exposes the node\'s filesystem (the container runtime socket, kubelet credentials) and ties the pod to a node',
    fix: 'use an emptyDir, a PersistentVolumeClaim, a ConfigMap or a Secret instead',
    sources: [...PSS, RuleSource.SEED_CHECKLIST, RuleSource.POLARIS, RuleSource.CHECKOV],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => ((o.pod?.spec.volumes ?? []) as any[]).filter((v) => v.hostPath !== undefined)
      .map((v) => `volume '${v.name}' mounts the host path '${v.hostPath.path}'`),
  },
  {
    id: 'pss-host-ports',
    rule: 'containers must not bind host ports',
    reason: 'a host port bypasses NetworkPolicy and Services and limits a node to one replica',
    fix: 'remove hostPort and expose the port through a Service',
    sources: [...PSS, RuleSource.KUBE_LINTER, RuleSource.POLARIS],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => eachContainer(o, (c) => {
      const ports = ((c.spec.ports ?? []) as any[]).filter((p) => (p.hostPort ?? 0) !== 0).map((p) => p.hostPort);
      return ports.length > 0 ? `binds host port ${ports.join(', ')}` : undefined;
    }),
  },
  {
    id: 'pss-host-probes',
    rule: 'probes and lifecycle handlers must not set a host',
    reason: 'a probe or hook with a host makes the kubelet connect to any address the pod names, from the node: a way to reach what the pod\'s NetworkPolicy blocks',
    fix: 'remove httpGet.host and tcpSocket.host: the kubelet then connects to the pod\'s own IP',
    sources: PSS,
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => containerProblems(o, (c) => probeHosts(c.spec)),
  },
  {
    id: 'pss-capabilities',
    rule: 'containers must drop ALL capabilities and add none but NET_BIND_SERVICE',
    reason: 'Linux capabilities such as NET_ADMIN or SYS_ADMIN are root powers a compromised process should not have',
    fix: 'set securityContext.capabilities to { drop: [ALL] } and add at most NET_BIND_SERVICE',
    sources: [...PSS, RuleSource.CIS_5, RuleSource.KUBE_SCORE, RuleSource.POLARIS],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => isWindows(o) ? [] : containerProblems(o, (c) => {
      const capabilities = c.spec.securityContext?.capabilities ?? {};
      const added = ((capabilities.add ?? []) as string[]).filter((cap) => cap !== 'NET_BIND_SERVICE');
      return [
        ...added.length > 0 ? [`adds capabilities ${added.join(', ')}`] : [],
        ...((capabilities.drop ?? []) as string[]).includes('ALL') ? [] : ['does not drop ALL capabilities'],
      ];
    }),
  },
  {
    id: 'pss-privilege-escalation',
    rule: 'containers must set allowPrivilegeEscalation to false',
    reason: 'without it a process can gain more privileges than its parent through setuid binaries',
    fix: 'set securityContext.allowPrivilegeEscalation to false',
    sources: [...PSS, RuleSource.CIS_5, RuleSource.KUBE_LINTER, RuleSource.CHECKOV],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => isWindows(o) ? [] : eachContainer(o, (c) =>
      c.spec.securityContext?.allowPrivilegeEscalation === false ? undefined : 'does not set allowPrivilegeEscalation to false'),
  },
  {
    id: 'pss-run-as-non-root',
    rule: 'containers must run as non-root (runAsNonRoot: true)',
    reason: 'root in a container is root on the node once the container is escaped',
    fix: 'set securityContext.runAsNonRoot to true on the pod (or every container) and run the image as a non-root user',
    sources: [...PSS, RuleSource.CIS_5, RuleSource.KUBE_SCORE, RuleSource.POLARIS],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => {
      const pod = o.pod?.spec.securityContext?.runAsNonRoot;
      return [
        ...pod === false ? ['pod sets runAsNonRoot to false'] : [],
        ...eachContainer(o, (c) => {
          const own = c.spec.securityContext?.runAsNonRoot;
          if (own === undefined) {
            return pod === true ? undefined : 'does not set runAsNonRoot to true, and neither does the pod';
          }
          return own === true ? undefined : 'sets runAsNonRoot to false';
        }),
      ];
    },
  },
  {
    id: 'pss-run-as-user',
    rule: 'pods and containers must not run as user 0',
    reason: 'uid 0 is root, whatever runAsNonRoot says about the image',
    fix: 'set runAsUser to a non-zero uid (this library uses 10000 or above)',
    sources: [...PSS, RuleSource.KUBE_SCORE],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => [
      ...o.pod?.spec.securityContext?.runAsUser === 0 ? ['pod sets runAsUser 0'] : [],
      ...eachContainer(o, (c) => c.spec.securityContext?.runAsUser === 0 ? 'sets runAsUser 0' : undefined),
    ],
  },
  {
    id: 'pss-seccomp',
    rule: 'containers must run with the RuntimeDefault or a Localhost seccomp profile',
    reason: 'seccomp removes the system calls containers never need, a large part of the kernel\'s attack surface',
    fix: 'set securityContext.seccompProfile.type to RuntimeDefault on the pod',
    sources: [...PSS, RuleSource.CIS_5, RuleSource.KUBE_SCORE],
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => {
      if (isWindows(o)) {
        return [];
      }
      const podProfile = o.pod?.spec.securityContext?.seccompProfile;
      const podType = podProfile?.type;
      return [
        ...podProfile !== undefined && !SECCOMP_TYPES.has(podType) ? [`pod sets seccomp profile ${podType}`] : [],
        ...eachContainer(o, (c) => {
          const profile = c.spec.securityContext?.seccompProfile;
          if (profile === undefined) {
            return SECCOMP_TYPES.has(podType) ? undefined : 'has no seccomp profile, and neither has the pod';
          }
          return SECCOMP_TYPES.has(profile.type) ? undefined : `sets seccomp profile ${profile.type}`;
        }),
      ];
    },
  },
  {
    id: 'pss-proc-mount',
    rule: 'containers must use the Default /proc mount',
    reason: 'an Unmasked /proc exposes kernel information the runtime normally hides',
    fix: 'remove securityContext.procMount or set it to Default',
    sources: PSS,
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => eachContainer(o, (c) => {
      const mount = c.spec.securityContext?.procMount;
      return mount === undefined || mount === 'Default' ? undefined : `sets procMount ${mount}`;
    }),
  },
  {
    id: 'pss-sysctls',
    rule: 'pods may set only the safe, namespaced sysctls',
    reason: 'other sysctls change the kernel for every pod on the node',
    fix: `remove the sysctl; allowed are ${[...SAFE_SYSCTLS].join(', ')}`,
    sources: PSS,
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => ((o.pod?.spec.securityContext?.sysctls ?? []) as any[]).filter((s) => !SAFE_SYSCTLS.has(s.name))
      .map((s) => `pod sets the unsafe sysctl ${s.name}`),
  },
  {
    id: 'pss-apparmor',
    rule: 'pods must not turn AppArmor off',
    reason: 'an Unconfined AppArmor profile removes the runtime\'s default mandatory access control',
    fix: 'remove the AppArmor override or use RuntimeDefault (runtime/default) or a Localhost profile',
    sources: PSS,
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => {
      const podProfile = o.pod?.spec.securityContext?.appArmorProfile;
      return [
        ...Object.entries(o.pod?.annotations ?? {})
          .filter(([key, value]) => key.startsWith(APPARMOR_ANNOTATION) && value !== '' && value !== 'runtime/default' && !value.startsWith('localhost/'))
          .map(([key, value]) => `pod annotation ${key} sets AppArmor profile ${value}`),
        ...podProfile !== undefined && !APPARMOR_TYPES.has(podProfile.type) ? [`pod sets AppArmor profile ${podProfile.type}`] : [],
        ...eachContainer(o, (c) => {
          const profile = c.spec.securityContext?.appArmorProfile;
          return profile === undefined || APPARMOR_TYPES.has(profile.type) ? undefined : `sets AppArmor profile ${profile.type}`;
        }),
      ];
    },
  },
  {
    id: 'pss-selinux',
    rule: 'pods may set only the container SELinux types, and no SELinux user or role',
    reason: 'a custom SELinux user, role or type can lift the confinement the runtime applies to containers',
    fix: 'remove seLinuxOptions, or set only its level or a type of container_t, container_init_t or container_kvm_t',
    sources: PSS,
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => [
      ...seLinuxProblems(o.pod?.spec.securityContext?.seLinuxOptions).map((problem) => `pod ${problem}`),
      ...containerProblems(o, (c) => seLinuxProblems(c.spec.securityContext?.seLinuxOptions)),
    ],
  },
  {
    id: 'pss-volume-types',
    rule: 'pods may mount only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes',
    reason: 'other volume types (nfs, iscsi, rbd, ...) reach storage directly from the node, outside the cluster\'s storage policy',
    fix: 'reach the storage through a PersistentVolumeClaim',
    sources: PSS,
    level: RuleLevel.ERROR,
    kinds: WORKLOAD_KINDS,
    check: (o) => ((o.pod?.spec.volumes ?? []) as any[]).flatMap((v) => {
      // hostPath has its own rule, with its own fix.
      const types = Object.keys(v).filter((key) => key !== 'name' && key !== 'hostPath' && !VOLUME_TYPES.has(key));
      return types.map((type) => `volume '${v.name}' is of the disallowed type ${type}`);
    }),
  },
];
