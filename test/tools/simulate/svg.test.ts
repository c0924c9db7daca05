import { niceStep, renderChart } from '../../../tools/simulate/svg';

describe('renderChart', () => {
  const svg = renderChart({
    title: 'p95 < 60 s & more',
    yLabel: 'seconds',
    horizon: 120,
    series: [
      {
        name: 'p95',
        color: '#f00',
        points: [
          [0, 10],
          [60, 50],
          [120, 20],
        ],
        step: true,
      },
    ],
    references: [{ label: 'objective', value: 60, color: '#0f0' }],
  });

  it('draws the series as steps in plot coordinates, with the reference line', () => {
    // Plot: x 64..784 over 0..120 s; y 296..40 over 0..80 (max 60 · 1.05 = 63 → nice step 20 → top 80):
    // y(10) = 296 − 10/80 · 256 = 264, y(50) = 136, y(20) = 232, y(60) = 104.
    expect(svg).toContain('points="64,264 424,264 424,136 784,136 784,232"');
    expect(svg).toContain('<line x1="64" x2="784" y1="104" y2="104" stroke="#0f0" stroke-dasharray="6 4"/>');
    expect(svg).toContain('<text x="400" y="22" text-anchor="middle" font-size="15">p95 &lt; 60 s &amp; more</text>');
  });

  it('labels time in seconds, minutes or hours by the span', () => {
    expect(svg).toContain('>60s</text>');
    expect(renderChart({ title: '', yLabel: '', horizon: 86_400, series: [] })).toContain('>6h</text>');
  });
});

describe('niceStep', () => {
  it('rounds to 1, 2 or 5 times a power of ten', () => {
    expect([niceStep(63, 6), niceStep(1700, 6), niceStep(0.4, 4), niceStep(0, 6)]).toEqual([20, 500, 0.1, 1]);
  });
});
