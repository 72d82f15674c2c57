import { ApiObject, Chart, Testing } from 'cdk8s';
import { Guardrails } from '../../lib';

// What each check allows and forbids comes from Kubernetes' own Pod Security admission:
// k8s.io/pod-security-admission v0.36.2, policy/check_<check>.go (the comment block and `Versions` of each
// check), and policy/visitor.go (every container check visits initContainers, containers and
// ephemeralContainers). The rule pack must pass a pod at every version from 1.28 to 1.36, so allow-lists
// are those of 1.28 and checks added later (host probes, 1.34) apply everywhere.

type Spec = Record<string, any>;
type ContainerList = 'containers' | 'initContainers' | 'ephemeralContainers';

const IMAGE = 'example/app:1.0.0';
/** A container that passes every check by itself. */
const SAFE_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
/** Each list a container can be in, and how messages name a container of it. */
const LISTS: ReadonlyArray<[ContainerList, string]> = [
  ['containers', 'container \'probe\''],
  ['initContainers', 'init container \'probe\''],
  ['ephemeralContainers', 'ephemeral container \'probe\''],
];

/** A pod whose pod-level settings pass every check, with `spec` merged over it. */
function pod(spec: Spec = {}, annotations?: Record<string, string>): Spec {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'app', ...annotations !== undefined ? { annotations } : {} },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'app', image: IMAGE, securityContext: SAFE_CONTAINER }],
      ...spec,
    },
  };
}

/** A pod with one more container, `probe`, in `list`, with `container` merged over a safe one. */
function podWith(list: ContainerList, container: Spec, spec: Spec = {}): Spec {
  const base = pod(spec);
  const probe = { name: 'probe', image: IMAGE, ...container, securityContext: { ...SAFE_CONTAINER, ...container.securityContext } };
  base.spec[list] = [...base.spec[list] ?? [], probe];
  return base;
}

/** The messages of `rule` for `manifest`, checked in a production chart. */
function messages(rule: string, manifest: Spec): string[] {
  const app = Testing.app();
  new ApiObject(new Chart(app, 'pss', { namespace: 'test' }), 'Pod', manifest as any);
  return Guardrails.apply(app).evaluate().findings.filter((f) => f.rule.id === rule).map((f) => f.message);
}

describe('pss-privileged (check_privileged.go)', () => {
  test.each(LISTS)('fails when a container of %s runs privileged', (list, name) => {
    expect(messages('pss-privileged', podWith(list, { securityContext: { privileged: true } }))).toEqual([`${name} runs privileged`]);
  });

  test.each([false, undefined])('passes privileged %s', (privileged) => {
    expect(messages('pss-privileged', podWith('containers', { securityContext: { privileged } }))).toEqual([]);
  });
});

describe('pss-host-namespaces (check_hostNamespaces.go)', () => {
  test.each(['hostNetwork', 'hostPID', 'hostIPC'])('fails when the pod sets %s', (field) => {
    expect(messages('pss-host-namespaces', pod({ [field]: true }))).toEqual([`pod sets ${field}`]);
  });

  test('passes host namespaces set to false', () => {
    expect(messages('pss-host-namespaces', pod({ hostNetwork: false, hostPID: false, hostIPC: false }))).toEqual([]);
  });
});

describe('pss-host-process (check_windowsHostProcess.go)', () => {
  test('fails when the pod runs as a host process', () => {
    expect(messages('pss-host-process', pod({ securityContext: { runAsNonRoot: true, windowsOptions: { hostProcess: true } } })))
      .toEqual(['pod runs as a Windows host process']);
  });

  test.each(LISTS)('fails when a container of %s runs as a host process', (list, name) => {
    expect(messages('pss-host-process', podWith(list, { securityContext: { windowsOptions: { hostProcess: true } } })))
      .toEqual([`${name} runs as a Windows host process`]);
  });

  test('passes hostProcess false at pod and container level', () => {
    const manifest = podWith('containers', { securityContext: { windowsOptions: { hostProcess: false } } },
      { securityContext: { runAsNonRoot: true, windowsOptions: { hostProcess: false } } });
    expect(messages('pss-host-process', manifest)).toEqual([]);
  });
});

describe('pss-host-path (check_hostPathVolumes.go)', () => {
  test('fails on a hostPath volume', () => {
    expect(messages('pss-host-path', pod({ volumes: [{ name: 'root', hostPath: { path: '/' } }] })))
      .toEqual(['volume \'root\' mounts the host path \'/\'']);
  });

  test('passes other volumes', () => {
    expect(messages('pss-host-path', pod({ volumes: [{ name: 'tmp', emptyDir: {} }] }))).toEqual([]);
  });
});

describe('pss-host-ports (check_hostPorts.go)', () => {
  test.each(LISTS)('fails when a container of %s binds a host port', (list, name) => {
    expect(messages('pss-host-ports', podWith(list, { ports: [{ containerPort: 8080, hostPort: 80 }, { containerPort: 9090, hostPort: 90 }] })))
      .toEqual([`${name} binds host port 80, 90`]);
  });

  test.each([0, undefined])('passes hostPort %s', (hostPort) => {
    expect(messages('pss-host-ports', podWith('containers', { ports: [{ containerPort: 8080, hostPort }] }))).toEqual([]);
  });
});

describe('pss-host-probes (check_hostProbesAndhostLifecycle.go, baseline since 1.34)', () => {
  const handlers: Array<[string, (action: Spec) => Spec]> = [
    ['livenessProbe', (action) => ({ livenessProbe: action })],
    ['readinessProbe', (action) => ({ readinessProbe: action })],
    ['startupProbe', (action) => ({ startupProbe: action })],
    ['lifecycle.postStart', (action) => ({ lifecycle: { postStart: action } })],
    ['lifecycle.preStop', (action) => ({ lifecycle: { preStop: action } })],
  ];
  const cases = LISTS.flatMap(([list, name]) => handlers.flatMap(([where, handler]) => ['httpGet', 'tcpSocket']
    .map((action) => [list, name, where, action, handler] as const)));

  test.each(cases)('fails when a container of %s sets a host in %s %s', (list, name, where, action, handler) => {
    const container = handler({ [action]: { host: 'metadata.internal', port: 80 } });
    expect(messages('pss-host-probes', podWith(list, container))).toEqual([`${name} ${where}.${action} sets host 'metadata.internal'`]);
  });

  test('reports every host of a container', () => {
    const container = { livenessProbe: { httpGet: { host: 'a', port: 80 } }, lifecycle: { preStop: { tcpSocket: { host: 'b', port: 80 } } } };
    expect(messages('pss-host-probes', podWith('containers', container)))
      .toEqual(['container \'probe\' livenessProbe.httpGet sets host \'a\'', 'container \'probe\' lifecycle.preStop.tcpSocket sets host \'b\'']);
  });

  test.each(['', undefined])('passes host %p', (host) => {
    const container = { readinessProbe: { httpGet: { host, port: 80 } }, lifecycle: { postStart: { tcpSocket: { host, port: 80 } } } };
    expect(messages('pss-host-probes', podWith('containers', container))).toEqual([]);
  });
});

describe('pss-capabilities (check_capabilities_restricted.go)', () => {
  test.each(LISTS)('fails when a container of %s adds a capability other than NET_BIND_SERVICE', (list, name) => {
    expect(messages('pss-capabilities', podWith(list, { securityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'NET_ADMIN', 'CHOWN'] } } })))
      .toEqual([`${name} adds capabilities NET_ADMIN, CHOWN`]);
  });

  test.each(LISTS)('fails when a container of %s does not drop ALL', (list, name) => {
    expect(messages('pss-capabilities', podWith(list, { securityContext: { capabilities: { drop: ['NET_RAW'] } } })))
      .toEqual([`${name} does not drop ALL capabilities`]);
  });

  test('fails on drop: [all]: the check compares ALL exactly', () => {
    expect(messages('pss-capabilities', podWith('containers', { securityContext: { capabilities: { drop: ['all'] } } })))
      .toEqual(['container \'probe\' does not drop ALL capabilities']);
  });

  test('fails a container without a security context', () => {
    const manifest = pod({ containers: [{ name: 'bare', image: IMAGE }] });
    expect(messages('pss-capabilities', manifest)).toEqual(['container \'bare\' does not drop ALL capabilities']);
  });

  test('reports both problems of one container', () => {
    expect(messages('pss-capabilities', podWith('containers', { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } })))
      .toEqual(['container \'probe\' adds capabilities SYS_ADMIN', 'container \'probe\' does not drop ALL capabilities']);
  });

  test('passes drop ALL with NET_BIND_SERVICE added', () => {
    expect(messages('pss-capabilities', podWith('containers', { securityContext: { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } })))
      .toEqual([]);
  });

  test('passes a Windows pod, which the restricted check exempts (1.25+)', () => {
    const manifest = podWith('containers', { securityContext: { capabilities: {} } }, { os: { name: 'windows' } });
    expect(messages('pss-capabilities', manifest)).toEqual([]);
  });
});

describe('pss-privilege-escalation (check_allowPrivilegeEscalation.go)', () => {
  test.each(LISTS)('fails when a container of %s allows privilege escalation', (list, name) => {
    expect(messages('pss-privilege-escalation', podWith(list, { securityContext: { allowPrivilegeEscalation: true } })))
      .toEqual([`${name} does not set allowPrivilegeEscalation to false`]);
  });

  test('fails when a container leaves it unset', () => {
    expect(messages('pss-privilege-escalation', pod({ containers: [{ name: 'bare', image: IMAGE }] })))
      .toEqual(['container \'bare\' does not set allowPrivilegeEscalation to false']);
  });

  test('passes false', () => {
    expect(messages('pss-privilege-escalation', podWith('initContainers', {}))).toEqual([]);
  });

  test('passes a Windows pod, which the check exempts (1.25+)', () => {
    expect(messages('pss-privilege-escalation', pod({ os: { name: 'windows' }, containers: [{ name: 'bare', image: IMAGE }] }))).toEqual([]);
  });
});

describe('pss-run-as-non-root (check_runAsNonRoot.go)', () => {
  test('fails when the pod sets runAsNonRoot false, even if every container sets true', () => {
    const manifest = podWith('containers', { securityContext: { runAsNonRoot: true } }, { securityContext: { runAsNonRoot: false } });
    manifest.spec.containers[0].securityContext = { ...SAFE_CONTAINER, runAsNonRoot: true };
    expect(messages('pss-run-as-non-root', manifest)).toEqual(['pod sets runAsNonRoot to false']);
  });

  test.each(LISTS)('fails when a container of %s sets runAsNonRoot false under a pod that sets true', (list, name) => {
    expect(messages('pss-run-as-non-root', podWith(list, { securityContext: { runAsNonRoot: false } })))
      .toEqual([`${name} sets runAsNonRoot to false`]);
  });

  test.each(LISTS)('fails when neither a container of %s nor the pod sets it', (list, name) => {
    const manifest = podWith(list, {}, { securityContext: {} });
    manifest.spec.containers[0].securityContext = { ...SAFE_CONTAINER, runAsNonRoot: true };
    expect(messages('pss-run-as-non-root', manifest)).toEqual([`${name} does not set runAsNonRoot to true, and neither does the pod`]);
  });

  test('fails even in a user namespace: the relaxation for hostUsers: false came with 1.35', () => {
    expect(messages('pss-run-as-non-root', podWith('containers', {}, { hostUsers: false, securityContext: {} })))
      .toEqual(['container \'app\' does not set runAsNonRoot to true, and neither does the pod', 'container \'probe\' does not set runAsNonRoot to true, and neither does the pod']);
  });

  test('passes runAsNonRoot true on the pod only', () => {
    expect(messages('pss-run-as-non-root', podWith('ephemeralContainers', {}))).toEqual([]);
  });

  test('passes runAsNonRoot true on every container only', () => {
    const manifest = podWith('initContainers', { securityContext: { runAsNonRoot: true } }, { securityContext: {} });
    manifest.spec.containers[0].securityContext = { ...SAFE_CONTAINER, runAsNonRoot: true };
    expect(messages('pss-run-as-non-root', manifest)).toEqual([]);
  });
});

describe('pss-run-as-user (check_runAsUser.go)', () => {
  test('fails when the pod runs as user 0', () => {
    expect(messages('pss-run-as-user', pod({ securityContext: { runAsNonRoot: true, runAsUser: 0 } }))).toEqual(['pod sets runAsUser 0']);
  });

  test.each(LISTS)('fails when a container of %s runs as user 0', (list, name) => {
    expect(messages('pss-run-as-user', podWith(list, { securityContext: { runAsUser: 0 } }))).toEqual([`${name} sets runAsUser 0`]);
  });

  test('fails user 0 even in a user namespace: the relaxation for hostUsers: false came with 1.35', () => {
    expect(messages('pss-run-as-user', pod({ hostUsers: false, securityContext: { runAsNonRoot: true, runAsUser: 0 } }))).toEqual(['pod sets runAsUser 0']);
  });

  test('passes user 1 at pod and container level', () => {
    expect(messages('pss-run-as-user', podWith('containers', { securityContext: { runAsUser: 1 } }, { securityContext: { runAsUser: 1 } })))
      .toEqual([]);
  });
});

describe('pss-seccomp (check_seccompProfile_restricted.go)', () => {
  test('fails when the pod sets Unconfined, and names each container it leaves without a profile', () => {
    expect(messages('pss-seccomp', pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } } })))
      .toEqual(['pod sets seccomp profile Unconfined', 'container \'app\' has no seccomp profile, and neither has the pod']);
  });

  test.each(LISTS)('fails when a container of %s sets Unconfined', (list, name) => {
    expect(messages('pss-seccomp', podWith(list, { securityContext: { seccompProfile: { type: 'Unconfined' } } })))
      .toEqual([`${name} sets seccomp profile Unconfined`]);
  });

  test.each(LISTS)('fails when neither a container of %s nor the pod sets a profile', (list, name) => {
    const manifest = podWith(list, {}, { securityContext: { runAsNonRoot: true } });
    manifest.spec.containers[0].securityContext = { ...SAFE_CONTAINER, seccompProfile: { type: 'RuntimeDefault' } };
    expect(messages('pss-seccomp', manifest)).toEqual([`${name} has no seccomp profile, and neither has the pod`]);
  });

  test.each(['RuntimeDefault', 'Localhost'])('passes %s on the pod only', (type) => {
    expect(messages('pss-seccomp', podWith('initContainers', {}, { securityContext: { seccompProfile: { type } } }))).toEqual([]);
  });

  test.each(['RuntimeDefault', 'Localhost'])('passes %s on every container only', (type) => {
    const manifest = podWith('containers', { securityContext: { seccompProfile: { type } } }, { securityContext: {} });
    manifest.spec.containers[0].securityContext = { ...SAFE_CONTAINER, seccompProfile: { type } };
    expect(messages('pss-seccomp', manifest)).toEqual([]);
  });

  test('passes a Windows pod, which the check exempts (1.25+)', () => {
    expect(messages('pss-seccomp', pod({ os: { name: 'windows' }, securityContext: {} }))).toEqual([]);
  });
});

describe('pss-proc-mount (check_procMount_baseline.go, check_procMount_restricted.go)', () => {
  test.each(LISTS)('fails when a container of %s unmasks /proc', (list, name) => {
    expect(messages('pss-proc-mount', podWith(list, { securityContext: { procMount: 'Unmasked' } }))).toEqual([`${name} sets procMount Unmasked`]);
  });

  test('fails Unmasked even in a user namespace: restricted keeps the check (1.35)', () => {
    expect(messages('pss-proc-mount', podWith('containers', { securityContext: { procMount: 'Unmasked' } }, { hostUsers: false })))
      .toEqual(['container \'probe\' sets procMount Unmasked']);
  });

  test.each(['Default', undefined])('passes procMount %s', (procMount) => {
    expect(messages('pss-proc-mount', podWith('containers', { securityContext: { procMount } }))).toEqual([]);
  });
});

describe('pss-sysctls (check_sysctls.go, the 1.28 set)', () => {
  const safe = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
    'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports'];

  test.each(safe)('passes %s', (name) => {
    expect(messages('pss-sysctls', pod({ securityContext: { runAsNonRoot: true, sysctls: [{ name, value: '1' }] } }))).toEqual([]);
  });

  // Allowed from 1.29 and 1.32: a 1.28 cluster refuses them.
  test.each(['kernel.msgmax', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_rmem'])('fails %s', (name) => {
    expect(messages('pss-sysctls', pod({ securityContext: { runAsNonRoot: true, sysctls: [{ name, value: '1' }] } })))
      .toEqual([`pod sets the unsafe sysctl ${name}`]);
  });
});

describe('pss-apparmor (check_appArmorProfile.go)', () => {
  const annotation = 'container.apparmor.security.beta.kubernetes.io/app';

  test('fails an annotation that turns AppArmor off', () => {
    expect(messages('pss-apparmor', pod({}, { [annotation]: 'unconfined' }))).toEqual([`pod annotation ${annotation} sets AppArmor profile unconfined`]);
  });

  test.each(['', 'runtime/default', 'localhost/k8s-apparmor-example'])('passes the annotation value %p', (value) => {
    expect(messages('pss-apparmor', pod({}, { [annotation]: value }))).toEqual([]);
  });

  test.each(['Unconfined', 'Custom'])('fails when the pod sets the profile type %s', (type) => {
    expect(messages('pss-apparmor', pod({ securityContext: { runAsNonRoot: true, appArmorProfile: { type } } })))
      .toEqual([`pod sets AppArmor profile ${type}`]);
  });

  test.each(LISTS)('fails when a container of %s sets Unconfined', (list, name) => {
    expect(messages('pss-apparmor', podWith(list, { securityContext: { appArmorProfile: { type: 'Unconfined' } } })))
      .toEqual([`${name} sets AppArmor profile Unconfined`]);
  });

  test.each(['RuntimeDefault', 'Localhost'])('passes %s at pod and container level', (type) => {
    const manifest = podWith('containers', { securityContext: { appArmorProfile: { type } } },
      { securityContext: { runAsNonRoot: true, appArmorProfile: { type } } });
    expect(messages('pss-apparmor', manifest)).toEqual([]);
  });
});

describe('pss-selinux (check_seLinuxOptions.go, the 1.28 types)', () => {
  const podOptions = (seLinuxOptions: Spec) => pod({ securityContext: { runAsNonRoot: true, seLinuxOptions } });

  test.each([
    [{ type: 'spc_t' }, 'pod sets SELinux type spc_t'],
    // container_engine_t is allowed from 1.31 only.
    [{ type: 'container_engine_t' }, 'pod sets SELinux type container_engine_t'],
    [{ user: 'system_u' }, 'pod sets SELinux user system_u'],
    [{ role: 'sysadm_r' }, 'pod sets SELinux role sysadm_r'],
  ])('fails the pod option %j', (options, message) => {
    expect(messages('pss-selinux', podOptions(options))).toEqual([message]);
  });

  test('reports every forbidden option', () => {
    expect(messages('pss-selinux', podOptions({ type: 'spc_t', user: 'system_u', role: 'sysadm_r' })))
      .toEqual(['pod sets SELinux type spc_t', 'pod sets SELinux user system_u', 'pod sets SELinux role sysadm_r']);
  });

  test.each(LISTS)('fails a container of %s with a forbidden type, user and role', (list, name) => {
    expect(messages('pss-selinux', podWith(list, { securityContext: { seLinuxOptions: { type: 'unconfined_t', user: 'u', role: 'r' } } })))
      .toEqual([`${name} sets SELinux type unconfined_t`, `${name} sets SELinux user u`, `${name} sets SELinux role r`]);
  });

  test.each(['', 'container_t', 'container_init_t', 'container_kvm_t'])('passes type %p with an empty user and role', (type) => {
    const options = { type, user: '', role: '', level: 's0:c1,c2' };
    expect(messages('pss-selinux', podWith('containers', { securityContext: { seLinuxOptions: options } },
      { securityContext: { runAsNonRoot: true, seLinuxOptions: options } }))).toEqual([]);
  });
});

describe('pss-volume-types (check_restrictedVolumes.go)', () => {
  test.each(['nfs', 'gitRepo', 'iscsi', 'awsElasticBlockStore', 'cephfs'])('fails a %s volume', (type) => {
    expect(messages('pss-volume-types', pod({ volumes: [{ name: 'v', [type]: {} }] }))).toEqual([`volume 'v' is of the disallowed type ${type}`]);
  });

  test.each(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'])('passes a %s volume', (type) => {
    expect(messages('pss-volume-types', pod({ volumes: [{ name: 'v', [type]: {} }] }))).toEqual([]);
  });

  test('leaves hostPath to pss-host-path', () => {
    expect(messages('pss-volume-types', pod({ volumes: [{ name: 'v', hostPath: { path: '/' } }] }))).toEqual([]);
  });
});
