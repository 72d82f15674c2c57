import { Duration, Size } from 'cdk8s';
import {
  ApplyOrder, Image, Prerequisite, PrerequisiteKind, ProductionApp, Schedule, StatefulApp, SYNC_WAVE_ANNOTATION, Velero, VolumeBackupMethod,
  VolumeBackupSchedule, VolumeBackupScheduleProps,
} from '../../lib';
import { one, synth, testChart } from '../util';

const IMAGE = Image.pinned('ghcr.io/acme/search', '4.1.0');
const INDEX = { name: 'index', mountPath: '/var/lib/search', size: Size.gibibytes(20), storageClassName: 'gp3' };

function searchIn(chart = testChart()): StatefulApp {
  return new StatefulApp(chart, 'Search', { image: IMAGE, port: 7700, volumeClaims: [INDEX] });
}

describe('VolumeBackupSchedule', () => {
  test('minimal props match the snapshot', () => {
    const chart = testChart();
    new VolumeBackupSchedule(chart, 'Backups', { workload: searchIn(chart), velero: Velero.installed() });
    expect(synth(chart).filter((m) => m.kind === 'Schedule')).toMatchSnapshot();
  });

  test('all props match the snapshot', () => {
    const chart = testChart();
    const all: Required<VolumeBackupScheduleProps> = {
      workload: searchIn(chart),
      velero: Velero.installed({ namespace: 'backups', method: VolumeBackupMethod.fileSystemBackup(), storageLocation: 'offsite' }),
      name: 'search-index',
      schedule: Schedule.cron('15 1 * * *'),
      retention: Duration.days(14),
    };
    new VolumeBackupSchedule(chart, 'Backups', all);
    expect(synth(chart).filter((m) => m.kind === 'Schedule')).toMatchSnapshot();
  });

  test('lives in Velero\'s namespace and backs up the objects of the workload\'s namespace that carry its labels, its claims among them', () => {
    // Velero's server caches its own namespace only (velero v1.18.1 pkg/cmd/server/server.go), and a Schedule "must be
    // the namespace of the Velero server" (site/content/docs/v1.18/api-types/schedule.md).
    const chart = testChart();
    const search = searchIn(chart);
    new VolumeBackupSchedule(chart, 'Backups', { workload: search, velero: Velero.installed() });
    const manifests = synth(chart);
    const schedule = one(manifests, 'Schedule');
    expect(schedule.apiVersion).toBe('velero.io/v1');
    expect(schedule.metadata).toMatchObject({ name: 'test-search', namespace: 'velero' });
    expect(schedule.spec.template.includedNamespaces).toEqual(['test']);
    const claimLabels = one(manifests, 'StatefulSet').spec.volumeClaimTemplates[0].metadata.labels;
    expect(claimLabels).toMatchObject(schedule.spec.template.labelSelector.matchLabels);
    expect(schedule.spec.schedule).toBe('0 3 * * *');
    expect(schedule.spec.template.ttl).toBe('720h0m0s');
  });

  test('selects a ProductionApp\'s persistent volume claim by its labels', () => {
    const chart = testChart();
    const files = new ProductionApp(chart, 'Files', {
      image: IMAGE, port: 8080, replicas: 1, autoscaling: { enabled: false },
      persistentVolume: { mountPath: '/data', size: Size.gibibytes(5), storageClassName: 'gp3' },
    });
    new VolumeBackupSchedule(chart, 'Backups', { workload: files, velero: Velero.installed() });
    const manifests = synth(chart);
    expect(one(manifests, 'PersistentVolumeClaim').metadata.labels).toMatchObject(one(manifests, 'Schedule').spec.template.labelSelector.matchLabels);
  });

  test.each([
    ['csiSnapshotDataMovement', VolumeBackupMethod.csiSnapshotDataMovement(), { snapshotVolumes: true, snapshotMoveData: true }],
    ['csiSnapshots', VolumeBackupMethod.csiSnapshots(), { snapshotVolumes: true }],
    ['fileSystemBackup', VolumeBackupMethod.fileSystemBackup(), { snapshotVolumes: false, defaultVolumesToFsBackup: true }],
  ])('%s sets the fields of that method and declares what it needs of Velero', (_name, method, fields) => {
    // Fields of velero v1.18.1 site/content/docs/v1.18/api-types/schedule.md; CSI needs --features=EnableCSI (csi.md), data
    // movement and file-system backup the node-agent (csi-snapshot-data-movement.md, file-system-backup.md).
    const chart = testChart();
    new VolumeBackupSchedule(chart, 'Backups', { workload: searchIn(chart), velero: Velero.installed({ method }) });
    const template = one(synth(chart), 'Schedule').spec.template;
    expect({ snapshotVolumes: template.snapshotVolumes, snapshotMoveData: template.snapshotMoveData, defaultVolumesToFsBackup: template.defaultVolumesToFsBackup })
      .toEqual({ snapshotMoveData: undefined, defaultVolumesToFsBackup: undefined, ...fields });
    const titles = Prerequisite.declaredIn(chart).map((d) => d.prerequisite.title);
    expect(titles.includes('Velero server: --features=EnableCSI')).toBe(method.snapshotVolumes);
    expect(titles.includes('Velero server: the node-agent DaemonSet (velero install --use-node-agent)')).toBe(method.snapshotMoveData || method.fileSystemBackup);
  });

  test('declares Velero with its CRDs and API version, its storage location, and the Argo CD destination', () => {
    const chart = testChart();
    new VolumeBackupSchedule(chart, 'Backups', { workload: searchIn(chart), velero: Velero.installed({ namespace: 'backups' }) });
    const declared = Prerequisite.declaredIn(chart).map((d) => d.prerequisite);
    const velero = declared.find((p) => p.kind === PrerequisiteKind.OPERATOR && p.title === 'Velero 1.18')!;
    expect(velero.details).toMatchObject({ apiVersions: ['velero.io/v1'], namespace: 'backups' });
    expect(velero.details.crds).toContain('schedules.velero.io');
    expect(declared.map((p) => p.title)).toEqual(expect.arrayContaining([
      'BackupStorageLocation backups/(the one marked default)',
      'Argo CD (AppProject): the Application may deploy to namespace backups',
      'VolumeSnapshotClass (labelled velero.io/csi-volumesnapshot-class=true, one per CSI driver of the volumes)',
    ]));
  });

  test('is kept when the manifests are pruned, and deleting it deletes none of its backups', () => {
    const chart = testChart();
    new VolumeBackupSchedule(chart, 'Backups', { workload: searchIn(chart), velero: Velero.installed() });
    const schedule = one(synth(chart), 'Schedule');
    expect(schedule.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    expect(schedule.spec.useOwnerReferencesInBackup).toBe(false);
  });

  test('is applied with the data, before the workloads', () => {
    const chart = testChart();
    ApplyOrder.apply(chart);
    new VolumeBackupSchedule(chart, 'Backups', { workload: searchIn(chart), velero: Velero.installed() });
    const manifests = synth(chart);
    expect(Number(one(manifests, 'Schedule').metadata.annotations[SYNC_WAVE_ANNOTATION]))
      .toBeLessThan(Number(one(manifests, 'StatefulSet').metadata.annotations[SYNC_WAVE_ANNOTATION]));
  });

  describe('derived names', () => {
    test('a default name, <namespace>-<workload>, longer than 63 characters is cut with a hash of the whole', () => {
      // GIVEN a namespace and a workload whose names together pass the 63 characters of the label Velero writes on each
      // backup (velero.io/schedule-name, velero v1.18.1 pkg/builder/backup_builder.go FromSchedule)
      const chart = testChart('a'.repeat(20));
      const search = new StatefulApp(chart, 'Search', { name: 's'.repeat(52), image: IMAGE, port: 7700, volumeClaims: [INDEX] });
      const other = new StatefulApp(chart, 'Other', { name: `${'s'.repeat(51)}t`, image: IMAGE, port: 7700, volumeClaims: [INDEX] });

      // WHEN
      const first = new VolumeBackupSchedule(chart, 'Backups', { workload: search, velero: Velero.installed() });
      const second = new VolumeBackupSchedule(chart, 'OtherBackups', { workload: other, velero: Velero.installed() });

      // THEN
      expect(first.name).toHaveLength(63);
      expect(first.name).toMatch(/^a{20}-s{31}-[0-9a-f]{10}$/);
      expect(second.name).not.toBe(first.name);
      expect(one(synth(chart).filter((m) => m.metadata.name === first.name), 'Schedule').metadata.name).toBe(first.name);
    });

    test('a default name within 63 characters is the namespace and the workload name, unchanged; a namespace may start with a digit', () => {
      const chart = testChart('1shop');
      const schedule = new VolumeBackupSchedule(chart, 'Backups', { workload: searchIn(chart), velero: Velero.installed() });
      expect(schedule.name).toBe('1shop-search');
    });
  });

  describe('validation', () => {
    const cases: Array<[string, Partial<VolumeBackupScheduleProps>, RegExp]> = [
      ['the name is not a DNS subdomain', { name: 'Search_Index' }, /^\[test\/Backups\] 'name' \('Search_Index'\) must be a DNS-1123 subdomain/],
      ['the name is longer than a label value', { name: `search.${'x'.repeat(57)}` },
        /^\[test\/Backups\] 'name' \('search\.x{57}'\) must be at most 63 characters: Velero labels each of its backups velero.io\/schedule-name with it/],
      ['the schedule has six fields', { schedule: Schedule.cron('0 0 3 * * *') }, /^\[test\/Backups\] 'schedule' \('0 0 3 \* \* \*'\) must have 5 fields/],
      ['the retention is not whole hours', { retention: Duration.minutes(90) }, /^\[test\/Backups\] 'retention' \('5400s'\) must be a whole number of hours, at least 1/],
      ['the retention is zero', { retention: Duration.hours(0) }, /^\[test\/Backups\] 'retention' \('0s'\) must be a whole number of hours, at least 1/],
      ['the retention is longer than a Go duration holds', { retention: Duration.hours(2562048) },
        /^\[test\/Backups\] 'retention' \('9223372800s'\) must be at most 2562047 hours: Velero reads it as a Go duration/],
      ['Velero\'s namespace is not a namespace name', { velero: Velero.installed({ namespace: 'Velero' }) }, /^\[test\/Backups\] 'velero.namespace' \('Velero'\) must be a DNS-1123 label/],
      ['the storage location is not a name', { velero: Velero.installed({ storageLocation: 'Off Site' }) },
        /^\[test\/Backups\] 'velero.storageLocation' \('Off Site'\) must be a DNS-1123 subdomain/],
      // A caller without a type checker:
      ['velero is not a Velero value', { velero: { namespace: 'velero' } as unknown as Velero },
        /^\[test\/Backups\] 'velero' \(\{"namespace":"velero"\}\) must be a Velero installation \(Velero.installed\(\{ \.\.\. \}\)\)$/],
      ['the Velero options are null', { velero: Velero.installed(null as any) }, /^\[test\/Backups\] 'velero' \(null\) must be a VeleroOptions object/],
      ['the method is a name', { velero: Velero.installed({ method: 'csi' as any }) },
        /^\[test\/Backups\] 'velero.method' \('csi'\) must be a VolumeBackupMethod \(csiSnapshotDataMovement, csiSnapshots or fileSystemBackup\), or left unset$/],
      ['the namespace is a number', { velero: Velero.installed({ namespace: 5 as any }) }, /^\[test\/Backups\] 'velero.namespace' \(5\) must be a string, or left unset$/],
      ['the workload is a name', { workload: 'search' as any }, /^\[test\/Backups\] 'workload' \('search'\) must be a workload \(IWorkload/],
      ['the schedule is a cron string', { schedule: '0 3 * * *' as any }, /^\[test\/Backups\] 'schedule' \('0 3 \* \* \*'\) must be a Schedule \(Schedule.cron/],
      ['the retention is a number of days', { retention: 30 as any }, /^\[test\/Backups\] 'retention' \(30\) must be a Duration/],
      ['the name is null', { name: null as any }, /^\[test\/Backups\] 'name' \(null\) must be a string, or left unset$/],
    ];
    test.each(cases)('fails when %s', (_name, props, message) => {
      const chart = testChart();
      expect(() => new VolumeBackupSchedule(chart, 'Backups', { workload: searchIn(chart), velero: Velero.installed(), ...props })).toThrow(message);
    });

    test('fails when the props are missing', () => {
      expect(() => new VolumeBackupSchedule(testChart(), 'Backups', undefined as any))
        .toThrow(/^\[test\/Backups\] 'props' \(unset\) must be an object of VolumeBackupScheduleProps$/);
    });
  });
});
