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

  describe('validation', () => {
    test('fails when the default name, <namespace>-<workload>, is longer than a DNS label', () => {
      const chart = testChart('a'.repeat(20));
      const search = new StatefulApp(chart, 'Search', { name: 's'.repeat(52), image: IMAGE, port: 7700, volumeClaims: [INDEX] });
      expect(() => new VolumeBackupSchedule(chart, 'Backups', { workload: search, velero: Velero.installed() }))
        .toThrow(/\[test\/Backups\] 'name' \('a{20}-s{52}'\) must be a DNS label/);
    });

    const cases: Array<[string, Partial<VolumeBackupScheduleProps>, RegExp]> = [
      ['the name is not a DNS label', { name: 'Search_Index' }, /\[test\/Backups\] 'name' \('Search_Index'\) must be a DNS label/],
      ['the schedule has six fields', { schedule: Schedule.cron('0 0 3 * * *') }, /'schedule' \('0 0 3 \* \* \*'\) must have 5 fields/],
      ['the retention is not whole hours', { retention: Duration.minutes(90) }, /'retention' \('5400s'\) must be a whole number of hours, at least 1/],
      ['the retention is zero', { retention: Duration.hours(0) }, /'retention' \('0s'\) must be a whole number of hours, at least 1/],
      ['Velero\'s namespace is not a namespace name', { velero: Velero.installed({ namespace: 'Velero' }) }, /'velero.namespace' \('Velero'\)/],
      ['the storage location is not a name', { velero: Velero.installed({ storageLocation: 'Off Site' }) }, /'velero.storageLocation' \('Off Site'\)/],
      ['velero is not a Velero value', { velero: { namespace: 'velero' } as unknown as Velero },
        /'velero' \('\[object Object\]'\) must be a Velero value: Velero.installed\(\{ \.\.\. \}\)/],
    ];
    test.each(cases)('fails when %s', (_name, props, message) => {
      const chart = testChart();
      expect(() => new VolumeBackupSchedule(chart, 'Backups', { workload: searchIn(chart), velero: Velero.installed(), ...props })).toThrow(message);
    });
  });
});
