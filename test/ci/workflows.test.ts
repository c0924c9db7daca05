/**
 * Pull-request code never gets prod credentials: pull requests preview staging at most,
 * and every job that touches prod runs from the default branch behind the `prod`
 * environment (required reviewers are configured on it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/environments';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const workflow = (name: string): Any => parse(readFileSync(join(REPO_ROOT, '.github', 'workflows', name), 'utf8'));
const jobs = (w: Any): [string, Any][] => Object.entries(w.jobs);
const text = (job: Any) => JSON.stringify(job);
const DEFAULT_BRANCH_ONLY = "github.ref == format('refs/heads/{0}', github.event.repository.default_branch)";

describe('CI workflows', () => {
  const pr = workflow('pull-request.yml');
  const deploy = workflow('deploy.yml');

  it('pull requests never name the prod stack or the prod environment', () => {
    for (const [name, job] of jobs(pr)) {
      expect(`${name}: ${text(job)}`).not.toMatch(/\bprod\b/);
      expect(job.environment).not.toBe('prod');
    }
  });

  it('pull requests preview staging only, from an environment holding staging credentials', () => {
    const preview = pr.jobs.preview;
    expect(preview.strategy.matrix.stack).toEqual(['staging']);
    expect(preview.environment).toBe('staging-preview');
    expect(preview.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
  });

  it('only jobs in an environment read secrets in pull requests', () => {
    for (const [name, job] of jobs(pr)) {
      if (text(job).includes('secrets.')) expect([name, job.environment]).toEqual([name, 'staging-preview']);
    }
  });

  it('deploys and previews prod only from the default branch, behind the prod environment', () => {
    expect(Object.keys(deploy.on)).toEqual(['push', 'workflow_dispatch']);
    expect(deploy.on.push.branches).toEqual(['main']);
    const prodJobs = jobs(deploy).filter(([, job]) => /'prod'/.test(text(job)));
    expect(prodJobs.map(([name]) => name)).toEqual(['prod']);
    for (const [, job] of prodJobs) {
      expect(job.environment).toBe('prod');
      expect(job.if).toBe(DEFAULT_BRANCH_ONLY);
    }
    expect(deploy.jobs.staging.if).toBe(DEFAULT_BRANCH_ONLY);
  });
});
