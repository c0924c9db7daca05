/**
 * The Mermaid picture of each environment (dist/<stack>/diagram.md): committed for
 * every stack, deterministic, and changed by a pool, a namespace, a workload or a flow.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentDiagram } from '../../charts-src/diagram';
import { findStackFiles, loadStackFile, type EnvironmentSpec } from '../../config';
import { parseRaw, rawStack, REPO_ROOT } from '../support/environments';
import { objectsOf, type Any } from '../support/render';

const diagramOf = (spec: EnvironmentSpec) => environmentDiagram(spec, objectsOf(spec));
const staging = (change: (raw: Any) => void = () => undefined) => {
  const raw = rawStack('staging');
  change(raw);
  return diagramOf(parseRaw(raw, 'staging'));
};
/** Lines in `after` that are not in `before`. */
const added = (before: string, after: string) => {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((l) => !old.has(l));
};

describe('environmentDiagram', () => {
  const base = staging();

  it.each(findStackFiles(REPO_ROOT).map((f) => [f.stack, f.file] as const))(
    'is committed for stack %s exactly as synth renders it',
    (stack, file) => {
      const path = join(REPO_ROOT, 'dist', stack, 'diagram.md');
      expect(existsSync(path)).toBe(true);
      expect(readFileSync(path, 'utf8')).toBe(diagramOf(loadStackFile(file, stack).spec));
    },
  );

  it('draws pools → namespaces → workloads, agents on the gVisor pool through their RuntimeClass', () => {
    expect(base).toContain('  pool__agents["pool agents: cpx42 ×5–12, gVisor"]');
    expect(base).toContain(
      '  pool__api --> ns__api__lobstack_control_plane(["namespace lobstack-control-plane"])\n' +
        '  ns__api__lobstack_control_plane --> wl__lobstack_control_plane__Deployment__api["Deployment api"]',
    );
    expect(base).toContain(
      '  ns__agents__lobstack_agents --> wl__lobstack_agents__PodTemplate__agent_starter["PodTemplate agent-starter"]',
    );
  });

  it('draws the flows of the charts: gateway → API, API → agents, agents → internet', () => {
    expect(base).toContain('  net__lobstack_ingress -->|"tcp/3000"| net__lobstack_control_plane');
    expect(base).toContain('  net__lobstack_control_plane -->|"tcp/8080"| net__lobstack_agents');
    expect(base).toContain('  net__lobstack_agents -->|"tcp/443"| net__internet');
  });

  it('is deterministic', () => {
    expect(staging()).toBe(base);
  });

  it('changes when a pool changes', () => {
    const after = staging((raw) => (raw.nodePools.find((p: Any) => p.name === 'api').instanceType = 'cpx32'));
    expect(added(base, after)).toEqual(['  pool__api["pool api: cpx32 ×3–8"]']);
  });

  it('changes when a flow changes', () => {
    const after = staging((raw) => (raw.agents.egressPorts = [443, 8443]));
    expect(added(base, after)).toEqual(['  net__lobstack_agents -->|"tcp/443, tcp/8443"| net__internet']);
  });

  it('changes when a workload and its namespace appear', () => {
    const after = staging(
      (raw) =>
        (raw.jobs = [
          ...(raw.jobs ?? []),
          {
            name: 'nightly-report',
            namespace: 'team-research',
            image: 'ghcr.io/lobstack/report:1.0.0',
            schedule: '0 3 * * *',
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
          },
        ]),
    );
    expect(added(base, after)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/--> ns__\w+__lobstack_team_research\(\["namespace lobstack-team-research"\]\)$/),
        expect.stringMatching(/--> wl__lobstack_team_research__CronJob__nightly_report\["CronJob nightly-report"\]$/),
      ]),
    );
  });
});
