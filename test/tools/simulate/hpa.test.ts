import { emptyHpaMemory, hpaDecision } from '../../../tools/simulate/hpa';
import { KEDA_HPA_BEHAVIOR } from '../../../tools/simulate/parameters';

const behavior = KEDA_HPA_BEHAVIOR;

describe('hpaDecision with the Kubernetes default behaviour (defaults.go)', () => {
  it('scales up by max(4 pods, 100 %) per 15 s', () => {
    const memory = emptyHpaMemory();
    const steps: number[] = [];
    let current = 1;
    for (let t = 0; t <= 60; t += 15) {
      current = hpaDecision({ now: t, current, recommended: 50, min: 1, max: 40, behavior }, memory);
      steps.push(current);
    }
    // 1 → max(1+4, 2) = 5 → max(9, 10) = 10 → 20 → 40 (max) → 40
    expect(steps).toEqual([5, 10, 20, 40, 40]);
  });

  it('keeps the highest recommendation of the last 300 s before scaling down', () => {
    const memory = emptyHpaMemory();
    let current = hpaDecision({ now: 0, current: 1, recommended: 4, min: 1, max: 10, behavior }, memory);
    expect(current).toBe(4);
    for (let t = 15; t < 300; t += 15) {
      current = hpaDecision({ now: t, current, recommended: 0, min: 1, max: 10, behavior }, memory);
      expect(current).toBe(4);
    }
    // At 300 the recommendation of 0 s has left the window: down to min 1 (100 % per 15 s allows it).
    expect(hpaDecision({ now: 300, current, recommended: 0, min: 1, max: 10, behavior }, memory)).toBe(1);
  });

  it('applies a Pods scale-down policy of the environment', () => {
    const memory = emptyHpaMemory();
    const slow = {
      scaleUp: behavior.scaleUp,
      scaleDown: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max' as const,
        policies: [{ type: 'Pods' as const, value: 2, periodSeconds: 60 }],
      },
    };
    let current = 10;
    const seen: number[] = [];
    for (let t = 0; t <= 60; t += 15) {
      current = hpaDecision({ now: t, current, recommended: 1, min: 1, max: 10, behavior: slow }, memory);
      seen.push(current);
    }
    // 2 pods per 60 s: 8 at 0, held until the period has passed, 6 at 60.
    expect(seen).toEqual([8, 8, 8, 8, 6]);
  });
});
