/**
 * The add-on dependency graph: which enabled add-on waits for which. Ordering is
 * declared (each definition's `dependsOn`) and turned into explicit Pulumi
 * `dependsOn`; a cycle is refused with the path that closes it.
 */

/** Node → the nodes it depends on (must be installed before it). */
export type DependencyGraph<N extends string = string> = ReadonlyMap<N, readonly N[]>;

/** A cycle in the graph, as the path that closes it (`a → b → a`), or undefined. */
export function findCycle<N extends string>(graph: DependencyGraph<N>): N[] | undefined {
  const state = new Map<N, 'visiting' | 'done'>();
  const stack: N[] = [];
  const visit = (node: N): N[] | undefined => {
    const s = state.get(node);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const dep of graph.get(node) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Dependencies first; among nodes whose dependencies are met, the graph's own
 * (insertion) order. Throws on a cycle or on a dependency that is not a node.
 */
export function topologicalOrder<N extends string>(graph: DependencyGraph<N>): N[] {
  for (const [node, deps] of graph) {
    for (const dep of deps) {
      if (!graph.has(dep)) {
        throw new Error(`add-on graph: "${node}" depends on "${dep}", which is not in the graph`);
      }
    }
  }
  const cycle = findCycle(graph);
  if (cycle) {
    throw new Error(
      `add-on graph has a cycle: ${cycle.join(' → ')}; remove one of these dependencies in infra/addons/`,
    );
  }
  const order: N[] = [];
  const placed = new Set<N>();
  while (order.length < graph.size) {
    for (const [node, deps] of graph) {
      if (!placed.has(node) && deps.every((d) => placed.has(d))) {
        order.push(node);
        placed.add(node);
        break;
      }
    }
  }
  return order;
}

/** Every node `node` depends on, directly or not. */
export function transitiveDependencies<N extends string>(graph: DependencyGraph<N>, node: N): Set<N> {
  const out = new Set<N>();
  const walk = (n: N) => {
    for (const dep of graph.get(n) ?? []) {
      if (!out.has(dep)) {
        out.add(dep);
        walk(dep);
      }
    }
  };
  walk(node);
  return out;
}
