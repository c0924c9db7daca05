/**
 * The restore runbooks: committed per stack and current, and their commands checked
 * against the rendered configuration (the Velero schedules and the Vault snapshot job
 * in dist/, the k3s S3 settings in the Secret infra/ creates), not against the
 * functions that wrote them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { installMocks, valueOf } from '../support/pulumi-mocks';

const mocks = installMocks();

import { parseAllDocuments, stringify } from 'yaml';
import { readStackConfig } from '../../config/load';
import { runbookPath, runRunbook } from '../../tools/runbook';
import { restoreRunbook } from '../../tools/runbook/restore';
import { REPO_ROOT, stackSpec } from '../support/environments';
import { committedFile, committedFiles, fakeCluster, writeDist } from '../infra/support';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const objects = (stack: string, file: string): Any[] =>
  parseAllDocuments(committedFile(stack, file)).map((d) => d.toJS());

describe.each(['staging', 'prod'] as const)('the restore runbook of %s', (stack) => {
  const text = restoreRunbook(stackSpec(stack))!;

  it('is committed and current (npm run runbook -- --stack <stack> --write)', () => {
    expect(readFileSync(runbookPath(REPO_ROOT, stack), 'utf8')).toBe(`${text}\n`);
  });

  it('lists and restores every Velero schedule in dist/ with its namespaces', () => {
    for (const s of objects(stack, 'backup.yaml').filter((o) => o.kind === 'Schedule')) {
      const ns = s.metadata.namespace;
      expect(text).toContain(`velero backup get -n ${ns} --selector velero.io/schedule-name=${s.metadata.name}`);
      expect(text).toContain(
        `velero restore create --from-backup BACKUP -n ${ns} --include-namespaces ${s.spec.template.includedNamespaces.join(',')} --wait`,
      );
    }
  });

  it('downloads Vault snapshots from the folder and bucket the snapshot job uploads to', () => {
    const job = objects(stack, 'backup.yaml').find(
      (o) => o.kind === 'CronJob' && o.metadata.name === 'vault-raft-snapshot',
    );
    const env = Object.fromEntries(
      job.spec.jobTemplate.spec.template.spec.containers[0].env.map((e: Any) => [e.name, e.value]),
    );
    expect(text).toContain(
      `aws s3 ls s3://${env.S3_BUCKET}/${env.S3_FOLDER}/ --region ${env.S3_REGION} --endpoint-url ${env.S3_ENDPOINT}`,
    );
    expect(text).toContain(`kubectl -n ${job.metadata.namespace} port-forward svc/vault-active 8200:8200`);
  });

  it('restores etcd from the bucket and folder k3s writes its snapshots to', async () => {
    mocks.reset();
    const spec = stackSpec(stack);
    const { definePlatform } = await import('../../infra/program');
    const files = committedFiles(stack).map((name) => ({ name, content: committedFile(stack, name) }));
    const out = definePlatform(spec, { cluster: fakeCluster(spec), distDir: writeDist(spec, files) });
    await valueOf(pulumi.all(Object.values(out.addons.releases).map((r) => r!.urn)));
    const secret = mocks.resources.find(
      (r) =>
        r.type === 'kubernetes:core/v1:Secret' && (r.inputs.metadata as Any).name === 'k3s-etcd-snapshot-s3-config',
    )!;
    const s3 = (secret.inputs.stringData as Any).value;
    expect(text).toContain(
      `--etcd-s3 --etcd-s3-endpoint=${s3['etcd-s3-endpoint']} --etcd-s3-region=${s3['etcd-s3-region']} ` +
        `--etcd-s3-bucket=${s3['etcd-s3-bucket']} --etcd-s3-folder=${s3['etcd-s3-folder']}`,
    );
    expect(text).toContain('sudo -E k3s server --cluster-reset --cluster-reset-restore-path=SNAPSHOT');
    // Credentials come from the secret config at run time, never from the runbook.
    expect(text).not.toContain(s3['etcd-s3-secret-key']);
    expect(text).toContain(`pulumi config get agent-platform:backupSecretAccessKey --stack ${stack}`);
  }, 60_000);
});

describe('npm run runbook', () => {
  it('prints the runbook of a stack', () => {
    const run = runRunbook(['--stack', 'prod'], REPO_ROOT);
    expect(run.code).toBe(0);
    expect(run.out).toBe(`${restoreRunbook(stackSpec('prod'))}\n`);
  });

  it('refuses an unknown stack and a stack without backups, with exit 2', () => {
    const unknown = runRunbook(['--stack', 'nope'], REPO_ROOT);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('Pulumi.nope.yaml does not exist');
    const dir = mkdtempSync(join(tmpdir(), 'agent-platform-runbook-'));
    const raw = readStackConfig(join(REPO_ROOT, 'Pulumi.staging.yaml')) as Any;
    delete raw.backup;
    writeFileSync(join(dir, 'Pulumi.dev.yaml'), stringify({ config: { 'agent-platform:platform': raw } }));
    const none = runRunbook(['--stack', 'dev', '--root', dir], REPO_ROOT);
    expect(none).toEqual({
      code: 2,
      out: '',
      err: 'runbook: Pulumi.dev.yaml declares no backup (see docs/backup.md)\n',
    });
  });
});
