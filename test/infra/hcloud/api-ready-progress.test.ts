/** The wait for the Kubernetes API (up to 15 minutes) says how it is going, once a minute. */
import { waitUntilReady } from '../../../infra/hcloud/api-ready';

describe('waitUntilReady progress', () => {
  it('reports once per minute with the elapsed time, the limit, the attempts and the last answer', async () => {
    let t = 0;
    let calls = 0;
    const lines: string[] = [];
    await waitUntilReady(
      async () => ({ ready: ++calls > 13, detail: calls < 7 ? 'connect ECONNREFUSED 192.0.2.10:6443' : 'HTTP 503' }),
      { timeoutMs: 900_000, intervalMs: 10_000, what: 'the Kubernetes API', progress: (l) => lines.push(l) },
      async (ms) => void (t += ms),
      () => t,
    );
    expect(lines).toEqual([
      'still waiting for the Kubernetes API: 60 s of at most 900 s, 7 attempts, last: HTTP 503',
      'still waiting for the Kubernetes API: 120 s of at most 900 s, 13 attempts, last: HTTP 503',
    ]);
  });
});
