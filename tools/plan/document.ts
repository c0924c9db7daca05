/** What a plan holds, as the renderers read it (a leaf module: markdown.ts and changes-markdown.ts both import it). */
import type { CostDiff, CostEstimate } from '../cost';
import type { SessionCost } from '../session-cost';
import type { ResourceChange } from './changes';
import type { PlanRisk } from './risks';
import type { Plan } from './summarize';

export interface PlanDocument {
  readonly plan: Plan;
  readonly cost: CostEstimate;
  readonly costDiff?: CostDiff | { unavailable: string };
  /** Warnings of the stack file (deprecated instance types, wide admin CIDRs). */
  readonly warnings?: readonly string[];
  /** Cloud-side changes against the base's program (an estimate), or why they are unknown. */
  readonly cloudChanges?:
    { readonly base: string; readonly changes: readonly ResourceChange[] } | { readonly unavailable: string };
  /** Cost of one agent session per tier and of the warm pool at its minimum. */
  readonly sessionCost?: SessionCost;
  /** Risk flags against the base (absent without a base). */
  readonly risks?: readonly PlanRisk[];
}
