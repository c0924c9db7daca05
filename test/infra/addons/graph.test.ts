import { findCycle, topologicalOrder, transitiveDependencies } from '../../../infra/addons/graph';

const graph = (entries: Record<string, string[]>) => new Map(Object.entries(entries));

describe('add-on graph', () => {
  test('orders dependencies first and keeps insertion order among ready nodes', () => {
    const g = graph({ gateway: ['istiod'], base: [], istiod: ['base', 'cni'], cni: ['base'], keda: [] });
    expect(topologicalOrder(g)).toEqual(['base', 'cni', 'istiod', 'gateway', 'keda']);
  });

  test('finds no cycle in an acyclic graph', () => {
    expect(findCycle(graph({ a: ['b'], b: ['c'], c: [] }))).toBeUndefined();
  });

  test('finds a cycle and returns the path that closes it', () => {
    expect(findCycle(graph({ a: ['b'], b: ['c'], c: ['a'] }))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(graph({ a: ['a'] }))).toEqual(['a', 'a']);
  });

  test('refuses a cycle naming it', () => {
    expect(() => topologicalOrder(graph({ x: [], a: ['b'], b: ['a'] }))).toThrow(
      'add-on graph has a cycle: a → b → a; remove one of these dependencies in infra/addons/',
    );
  });

  test('refuses a dependency that is not in the graph', () => {
    expect(() => topologicalOrder(graph({ a: ['ghost'] }))).toThrow(
      'add-on graph: "a" depends on "ghost", which is not in the graph',
    );
  });

  test('transitive dependencies', () => {
    const g = graph({ gateway: ['istiod'], istiod: ['base', 'cni'], cni: ['base'], base: [] });
    expect([...transitiveDependencies(g, 'gateway')].sort()).toEqual(['base', 'cni', 'istiod']);
  });
});
