import { waitUntilReady, type ProbeResult } from '../../../infra/hcloud/api-ready';

/** A fake clock: sleeping advances it, nothing really waits. */
function clock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

function probes(...results: ProbeResult[]) {
  let i = 0;
  const calls: number[] = [];
  return {
    calls,
    probe: async () => {
      calls.push(i);
      return results[Math.min(i++, results.length - 1)]!;
    },
  };
}

describe('waitUntilReady', () => {
  it('returns as soon as the API answers, counting attempts', async () => {
    const c = clock();
    const p = probes(
      { ready: false, detail: 'connect ECONNREFUSED 192.0.2.10:6443' },
      { ready: false, detail: 'HTTP 503' },
      { ready: true, detail: 'HTTP 200' },
    );
    const attempts = await waitUntilReady(
      p.probe,
      { timeoutMs: 60_000, intervalMs: 10_000, what: 'the API' },
      c.sleep,
      c.now,
    );
    expect(attempts).toBe(3);
    expect(c.now()).toBe(20_000);
  });

  it('fails after the timeout with the last thing it saw and how to investigate', async () => {
    const c = clock();
    const p = probes({ ready: false, detail: 'HTTP 503' });
    await expect(
      waitUntilReady(
        p.probe,
        { timeoutMs: 30_000, intervalMs: 10_000, what: 'the Kubernetes API at https://192.0.2.10:6443' },
        c.sleep,
        c.now,
      ),
    ).rejects.toThrow(
      'the Kubernetes API at https://192.0.2.10:6443 did not become ready within 30 s (4 attempts; last: HTTP 503). ' +
        "Check that this machine's address is in adminCidrs",
    );
    expect(p.calls).toHaveLength(4); // at 0, 10, 20 and 30 s: the last one at the deadline
  });
});
