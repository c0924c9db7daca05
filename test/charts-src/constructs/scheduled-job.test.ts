import { ScheduledJob, type ScheduledJobProps } from '../../../charts-src/constructs/scheduled-job';
import { find, objectsOf, ofKind, testChart, type Obj } from '../support/objects';

/** Only the required props. */
const required: ScheduledJobProps = {
  name: 'nightly-eval',
  namespace: 'evals',
  image: 'ghcr.io/acme/eval:2.1.0',
  schedule: '0 2 * * *',
  resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
};

function render(extra: Partial<ScheduledJobProps> = {}): Obj[] {
  const chart = testChart();
  new ScheduledJob(chart, 'Job', { ...required, ...extra });
  return objectsOf(chart);
}

describe('ScheduledJob with only its required props', () => {
  const objects = render();
  const cron = find(objects, 'CronJob', 'nightly-eval', 'evals');
  const job = cron.spec.jobTemplate.spec;
  const pod = job.template.spec;

  it('runs one at a time, retried twice, stopped after an hour', () => {
    expect(cron.spec).toMatchObject({ schedule: '0 2 * * *', concurrencyPolicy: 'Forbid' });
    expect(job).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 3600 });
    expect(pod.restartPolicy).toBe('Never');
  });

  it('runs as UID 10001 at batch priority with a tokenless ServiceAccount, on no particular pool', () => {
    expect(pod.securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 10001 });
    expect(pod.priorityClassName).toBe('batch');
    expect(pod.serviceAccountName).toBe('nightly-eval');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(find(objects, 'ServiceAccount', 'nightly-eval').automountServiceAccountToken).toBe(false);
    expect(pod.nodeSelector).toBeUndefined();
  });

  it('keeps the image entrypoint, asks for no GPU, mounts a 1Gi /tmp and creates no VPA', () => {
    const container = pod.containers[0];
    expect(container.command).toBeUndefined();
    expect(container.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2', memory: '2Gi' },
    });
    expect(container.volumeMounts).toEqual([{ name: 'scratch-0', mountPath: '/tmp' }]);
    expect(ofKind(objects, 'VerticalPodAutoscaler')).toEqual([]);
  });
});

describe('ScheduledJob options', () => {
  it('gpus, command, vpa, scheduling and priority are written', () => {
    const objects = render({
      gpus: 1,
      command: ['python', 'eval.py'],
      vpa: { updateMode: 'Auto' },
      scheduling: {
        nodeSelector: { pool: 'gpu' },
        tolerations: [{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }],
      },
      priorityClassName: 'platform-critical',
      backoffLimit: 0,
    });
    const cron = find(objects, 'CronJob', 'nightly-eval');
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(cron.spec.jobTemplate.spec.backoffLimit).toBe(0);
    expect(pod.containers[0].command).toEqual(['python', 'eval.py']);
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
    expect(pod.tolerations).toEqual([{ key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pod.priorityClassName).toBe('platform-critical');
    expect(find(objects, 'VerticalPodAutoscaler', 'nightly-eval').spec.updatePolicy).toEqual({ updateMode: 'Auto' });
  });
});
