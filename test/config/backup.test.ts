/**
 * Backup settings in the model: the worst-case interval of cron schedules, and the
 * refusals of schedules that cannot meet the declared RPO, with the arithmetic.
 */
import { readStackConfig } from '../../config/load';
import { cronEvery, formatMinutes, worstCaseIntervalMinutes } from '../../config';
import { configErrorOf, parseRaw, rawStack, REPO_ROOT } from '../support/environments';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const cybersec = (): any => structuredClone(readStackConfig(join(REPO_ROOT, 'examples/cybersec/Pulumi.cybersec.yaml')));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const example = (name: string): any =>
  structuredClone(readStackConfig(join(REPO_ROOT, `examples/${name}/Pulumi.${name}.yaml`)));

describe('worst-case interval of a cron schedule', () => {
  it.each([
    ['*/15 * * * *', 15],
    ['0 * * * *', 60],
    ['30 */6 * * *', 360],
    ['0 */12 * * *', 720], // k3s's default etcd snapshot schedule
    ['0 2 * * *', 1440],
    // Weekdays at 09:00: Friday 09:00 to Monday 09:00.
    ['0 9 * * 1-5', 3 * 1440],
    // Uneven steps: runs at :00 and :45, so the long gap is 45 minutes.
    ['*/45 * * * *', 45],
  ])('%s loses at most %i minutes', (cron, minutes) => {
    expect(worstCaseIntervalMinutes(cron)).toBe(minutes);
  });

  it('formats minutes as a reader says them', () => {
    expect(formatMinutes(15)).toBe('15m');
    expect(formatMinutes(90)).toBe('1h 30m');
    expect(formatMinutes(4320)).toBe('3d');
  });

  it('suggests schedules that meet an RPO', () => {
    for (const rpo of [1, 5, 15, 45, 60, 90, 240, 720, 1440, 10080]) {
      expect(worstCaseIntervalMinutes(cronEvery(rpo))).toBeLessThanOrEqual(rpo);
    }
  });
});

describe('schedules must meet the RPO', () => {
  it('accepts every environment of the repository (their schedules meet their RPO)', () => {
    expect(parseRaw(cybersec(), 'cybersec').backup?.rpo).toBe('15m');
    expect(parseRaw(rawStack('prod'), 'prod').backup?.rpo).toBe('1h');
  });

  it('refuses an etcd schedule of 12 h under an RPO of 15 min, with the arithmetic', () => {
    const raw = cybersec();
    raw.backup.etcd.schedule = '0 */12 * * *';
    expect(configErrorOf(raw)).toContain(
      'backup.etcd.schedule ("0 */12 * * *") cannot meet backup.rpo (15m): the etcd snapshot runs "0 */12 * * *", ' +
        'so up to 12h of data is lost between two runs, and 12h > 15m. Run it at least every 15m (e.g. "*/15 * * * *") or raise backup.rpo',
    );
  });

  it('refuses a daily database backup under an RPO of 15 min and says only WAL archiving could do better', () => {
    const raw = cybersec();
    raw.backup.volumes[0].schedule = '0 2 * * *';
    const message = configErrorOf(raw);
    expect(message).toContain(
      'backup.volumes[0].schedule ("0 2 * * *") cannot meet backup.rpo (15m): the volume backup of "postgres" (namespace data) runs "0 2 * * *", so up to 1d of data is lost',
    );
    expect(message).toContain('needs continuous WAL archiving');
  });

  it('refuses a Vault snapshot schedule longer than the RPO', () => {
    const raw = cybersec();
    raw.backup.vault.schedule = '0 * * * *';
    expect(configErrorOf(raw)).toContain(
      'backup.vault.schedule ("0 * * * *") cannot meet backup.rpo (15m): the Vault Raft snapshot',
    );
  });

  it('requires a schedule for every namespace holding a stateful service', () => {
    const raw = cybersec();
    raw.backup.volumes = [];
    expect(configErrorOf(raw)).toContain(
      'backup.volumes must cover namespace "data": stateful service "postgres" keeps data on volumes there',
    );
  });

  it('refuses a schedule naming no namespace of the environment', () => {
    const raw = cybersec();
    raw.backup.volumes[0].namespaces = ['data', 'nowhere'];
    expect(configErrorOf(raw)).toContain(
      'backup.volumes[0].namespaces[1] ("nowhere") is not a namespace of this environment',
    );
  });

  it('refuses a cron expression that is not one', () => {
    const raw = cybersec();
    raw.backup.etcd.schedule = 'every 15 minutes';
    expect(configErrorOf(raw)).toContain(
      'backup.etcd.schedule ("every 15 minutes") must be a five-field cron expression',
    );
  });

  it('refuses plaintext endpoints and requires one on hcloud', () => {
    const raw = cybersec();
    raw.backup.storage.endpoint = 'http://fsn1.your-objectstorage.com';
    expect(configErrorOf(raw)).toContain('backup.storage.endpoint');
    expect(configErrorOf(raw)).toContain('must be an https:// URL');
    delete raw.backup.storage.endpoint;
    expect(configErrorOf(raw)).toContain('backup.storage.endpoint is required on hcloud');
  });

  it('requires backups in prod, not elsewhere', () => {
    const raw = rawStack('prod');
    delete raw.backup;
    expect(configErrorOf(raw)).toContain('backup is required in prod');
    const staging = rawStack('staging');
    delete staging.backup;
    expect(parseRaw(staging).backup).toBeUndefined();
  });

  it('on EKS, requires an EBS CSI snapshot class when a stateful service is backed up', () => {
    const raw = example('support-copilot');
    raw.volumeSnapshotClasses = [];
    expect(configErrorOf(raw)).toContain(
      'volumeSnapshotClasses must include a class for ebs.csi.aws.com: on EKS Velero backs volumes up as CSI snapshots',
    );
  });
});
