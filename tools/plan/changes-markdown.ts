/**
 * The plan's "what happens to the cluster" sections: risk flags against the base,
 * and the cloud-side changes per resource (an estimate until `pulumi preview`).
 */
import { CHANGE_LABELS, type ResourceChange, type ResourceChangeKind } from './changes';
import type { PlanDocument } from './document';
import { PLAN_RISK_TITLES, type PlanRiskCategory } from './risks';

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function renderPlanRisks(doc: PlanDocument): string[] {
  if (!doc.risks) return [];
  if (doc.risks.length === 0) return ['**Risk flags against the base:** none.', ''];
  const lines = [`**Risk flags against the base (${doc.risks.length})**`, ''];
  for (const category of Object.keys(PLAN_RISK_TITLES) as PlanRiskCategory[]) {
    const risks = doc.risks.filter((r) => r.category === category);
    if (risks.length === 0) continue;
    lines.push(`- ⚠️ **${PLAN_RISK_TITLES[category]}** (${risks.length})`, ...risks.map((r) => `  - ${r.message}`));
  }
  lines.push('');
  return lines;
}

function countLine(changes: readonly ResourceChange[]): string {
  const kinds = Object.keys(CHANGE_LABELS) as ResourceChangeKind[];
  return kinds
    .map((kind) => [kind, changes.filter((c) => c.kind === kind).length] as const)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${CHANGE_LABELS[kind]}`)
    .join(', ');
}

export function renderCloudChanges(doc: PlanDocument): string[] {
  const cloud = doc.cloudChanges;
  if (!cloud) return [];
  const lines = ['### Cloud-side changes against the base (estimate)', ''];
  if ('unavailable' in cloud) return [...lines, `_Not estimated: ${cloud.unavailable}._`, ''];
  lines.push(
    `The program at the base (\`${cloud.base}\`) and now, both run under mocks, compared resource by resource with ` +
      "the providers' rules for which inputs replace a resource (tools/plan/provider-rules.ts). " +
      '**An estimate**: live state and drift are unknown until `pulumi preview` runs with credentials.',
    '',
  );
  if (cloud.changes.length === 0) return [...lines, 'No cloud-side changes.', ''];
  lines.push(`${countLine(cloud.changes)}.`, '', '| change | type | resource | why |', '| --- | --- | --- | --- |');
  for (const c of cloud.changes) {
    const label = c.kind === 'update' || c.kind === 'create' ? CHANGE_LABELS[c.kind] : `**${CHANGE_LABELS[c.kind]}**`;
    lines.push(`| ${label} | \`${c.type}\` | \`${c.name}\` | ${cell(c.reasons.join('; '))} |`);
  }
  lines.push('');
  return lines;
}
