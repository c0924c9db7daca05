/**
 * Reading what a chart template makes of our values, without Helm: the template text
 * comes from ../shared/charts; a test quotes the exact snippet it reproduces (so a
 * chart bump that changes it fails loudly) and substitutes our values the way Go
 * templates do. Helm prints a missing field as an empty string.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartDir, shown, loadChart } from './upstream-charts';

export function templateText(chart: string, version: string, file: string): string {
  const dir = chartDir(chart, version);
  if (!dir) throw new Error(`../shared/charts has no ${chart} ${version}`);
  return readFileSync(join(dir, file), 'utf8');
}

export function chartFile(chart: string, version: string, file: string): string {
  const loaded = loadChart(chart, version);
  if (!loaded) throw new Error(`../shared/charts has no ${chart} ${version}`);
  return shown(loaded, file);
}

/** The first capture of `pattern` in the template; throws naming the file when the chart no longer has it. */
export function snippet(text: string, pattern: RegExp, where: string): string {
  const match = pattern.exec(text);
  if (!match?.[1]) throw new Error(`${where} no longer contains ${pattern}: re-read the template and update the test`);
  return match[1];
}

/** `{{ .minSize }}:{{ .maxSize }}` with `{minSize: 0, maxSize: 3}` → `0:3` (a missing field prints as empty). */
export function renderFields(template: string, item: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{\{-?\s*\.(\w+)\s*-?\}\}/g, (_, field: string) =>
    item[field] === undefined || item[field] === null ? '' : String(item[field]),
  );
}
