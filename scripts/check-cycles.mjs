// No import cycles in our TypeScript: madge (pinned in package.json) builds the module
// graph of every source and test folder and lists its cycles. Type-only imports count
// (`skipTypeImports: false`): tsc and eslint do not see a cycle that closes through
// `import type`, but it still ties the modules together (one cannot move or be read
// without the other). Exit code 1 when a cycle exists; the cycles are printed.
import madge from 'madge';

const FOLDERS = ['config', 'charts-src', 'infra', 'policy', 'tools', 'test', 'scripts'];

const graph = await madge(FOLDERS, {
  fileExtensions: ['ts'],
  tsConfig: 'tsconfig.json',
  // Generated CRD classes and outputs are not ours to arrange.
  excludeRegExp: [/^(node_modules|imports|dist|build)\//],
  detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
});

const cycles = graph.circular();
if (cycles.length > 0) {
  console.log(`${cycles.length} import cycle(s):`);
  for (const cycle of cycles) console.log(`  ${[...cycle, cycle[0]].join(' -> ')}`);
  console.log('break each one by moving the shared declarations into a module both can import');
  process.exitCode = 1;
} else {
  console.log(`no import cycles in ${Object.keys(graph.obj()).length} modules`);
}
