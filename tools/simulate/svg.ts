/**
 * A small, dependency-free SVG line chart: time on x, one or more series on y, optional
 * horizontal reference lines (an objective, a pool max). Numbers are rounded to one decimal so
 * the same run always gives the same bytes.
 */
export interface Series {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  /** Draw as steps (counts that change at an instant) rather than straight segments. */
  readonly step?: boolean;
}

export interface Reference {
  readonly label: string;
  readonly value: number;
  readonly color: string;
}

export interface Chart {
  readonly title: string;
  readonly yLabel: string;
  readonly horizon: number;
  readonly series: readonly Series[];
  readonly references?: readonly Reference[];
}

const WIDTH = 800;
const HEIGHT = 360;
const PAD = { left: 64, right: 16, top: 40, bottom: 64 };

const r1 = (n: number) => (Math.round(n * 10) / 10).toString();

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A "nice" tick step (1, 2 or 5 × 10^k) giving about `count` ticks over `range`. */
export function niceStep(range: number, count: number): number {
  if (!(range > 0)) return 1;
  const raw = range / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

function timeTicks(horizon: number): { step: number; label: (t: number) => string } {
  const candidates = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600];
  const step = candidates.find((c) => horizon / c <= 10) ?? 43200;
  const label = (t: number) => (step >= 3600 ? `${t / 3600}h` : step >= 60 ? `${t / 60}m` : `${t}s`);
  return { step, label };
}

export function renderChart(chart: Chart): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const values = [
    ...chart.series.flatMap((s) => s.points.map((p) => p[1])),
    ...(chart.references ?? []).map((r) => r.value),
  ].filter((v) => Number.isFinite(v));
  const yMax = Math.max(1, ...values) * 1.05;
  const yStep = niceStep(yMax, 6);
  const top = Math.ceil(yMax / yStep) * yStep;
  const x = (t: number) => PAD.left + (Math.min(t, chart.horizon) / chart.horizon) * plotW;
  const y = (v: number) => PAD.top + plotH - (v / top) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`);
  out.push(`<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="15">${escape(chart.title)}</text>`);
  for (let v = 0; v <= top + 1e-9; v += yStep) {
    out.push(
      `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${r1(y(v))}" y2="${r1(y(v))}" stroke="#e5e5e5"/>`,
      `<text x="${PAD.left - 6}" y="${r1(y(v) + 4)}" text-anchor="end">${r1(v)}</text>`,
    );
  }
  const ticks = timeTicks(chart.horizon);
  for (let t = 0; t <= chart.horizon + 1e-9; t += ticks.step) {
    out.push(
      `<line x1="${r1(x(t))}" x2="${r1(x(t))}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH + 4}" stroke="#333"/>`,
      `<text x="${r1(x(t))}" y="${PAD.top + plotH + 18}" text-anchor="middle">${ticks.label(t)}</text>`,
    );
  }
  out.push(
    `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${PAD.top + plotH}" y2="${PAD.top + plotH}" stroke="#333"/>`,
    `<line x1="${PAD.left}" x2="${PAD.left}" y1="${PAD.top}" y2="${PAD.top + plotH}" stroke="#333"/>`,
    `<text x="16" y="${PAD.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${PAD.top + plotH / 2})">${escape(chart.yLabel)}</text>`,
  );
  for (const ref of chart.references ?? []) {
    out.push(
      `<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${r1(y(ref.value))}" y2="${r1(y(ref.value))}" stroke="${ref.color}" stroke-dasharray="6 4"/>`,
      `<text x="${WIDTH - PAD.right - 4}" y="${r1(y(ref.value) - 4)}" text-anchor="end" fill="${ref.color}">${escape(ref.label)}</text>`,
    );
  }
  for (const s of chart.series) {
    if (s.points.length === 0) continue;
    const coords: string[] = [];
    s.points.forEach(([t, v], i) => {
      if (s.step && i > 0) coords.push(`${r1(x(t))},${r1(y(s.points[i - 1]![1]))}`);
      coords.push(`${r1(x(t))},${r1(y(v))}`);
    });
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.5" points="${coords.join(' ')}"/>`);
  }
  chart.series.forEach((s, i) => {
    const lx = PAD.left + i * 180;
    const ly = HEIGHT - 18;
    out.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`,
      `<text x="${lx + 26}" y="${ly}">${escape(s.name)}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
