/** The loader answers every input with a ConfigError (path, what, what is allowed), never a crash. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, findStackFiles, loadStackFile, readStackConfig } from '../../config';
import { synthesize, SynthError } from '../../charts-src/synthesize';
import { parse } from 'yaml';

const dir = () => mkdtempSync(join(tmpdir(), 'loader-'));
const errorOf = (f: () => unknown): Error => {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
};

/** Nine levels of nine aliases: 387 million strings if expanded. */
function aliasBomb(): string {
  const lines = [
    'config:',
    '  agent-platform:platform:',
    '    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ];
  let previous = 'a';
  for (const name of 'bcdefghi') {
    lines.push(`    ${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
    previous = name;
  }
  return `${lines.join('\n')}\n`;
}

describe('the stack file loader', () => {
  it('refuses a YAML alias bomb as unusable YAML', () => {
    const file = join(dir(), 'Pulumi.bomb.yaml');
    writeFileSync(file, aliasBomb());
    const error = errorOf(() => readStackConfig(file));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `${file}: 1 problem:\n  - (root) is not usable YAML: Excessive alias count indicates a resource exhaustion attack`,
    );
  });

  it('refuses a binary file', () => {
    const file = join(dir(), 'Pulumi.bin.yaml');
    writeFileSync(file, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0xff, 0xfe]));
    expect(errorOf(() => loadStackFile(file)).message).toBe(
      `${file}: 1 problem:\n  - (root) is not a text file (it holds NUL bytes); a stack file is YAML`,
    );
  });

  it('refuses a file that is not YAML', () => {
    const file = join(dir(), 'Pulumi.x.yaml');
    writeFileSync(file, 'config: [unclosed\n  - : :\n');
    const error = errorOf(() => loadStackFile(file));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('is not valid YAML');
  });

  it("refuses a duplicate key with the full parser's message (the fast reader leaves it to the full parser)", () => {
    const file = join(dir(), 'Pulumi.dup.yaml');
    writeFileSync(file, 'config:\n  agent-platform:platform:\n    name: a # first\n    name: b\n');
    const error = errorOf(() => readStackConfig(file));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `${file}: 1 problem:\n  - (root) is not valid YAML: Map keys must be unique at line 4, column 5:`,
    );
  });

  it('reads comments, blank lines, flow collections and folded scalars as the full parser does', () => {
    const file = join(dir(), 'Pulumi.c.yaml');
    const text = [
      '# An environment.',
      'config:',
      '  agent-platform:platform:',
      "    kubernetes: { version: '1.35' } # pinned",
      '',
      '    locations: [fsn1, nbg1]',
      '    note: >-',
      '      folded',
      '      text',
      '',
    ].join('\n');
    writeFileSync(file, text);
    const expected = { kubernetes: { version: '1.35' }, locations: ['fsn1', 'nbg1'], note: 'folded text' };
    expect(readStackConfig(file)).toStrictEqual(expected);
    expect((parse(text) as { config: Record<string, unknown> }).config['agent-platform:platform']).toStrictEqual(
      expected,
    );
  });

  it('refuses a folder that does not exist, and a file given as a folder', () => {
    const missing = join(dir(), 'nope');
    expect(errorOf(() => findStackFiles(missing)).message).toBe(
      `${missing}: 1 problem:\n  - (root) does not exist: give --root a folder holding Pulumi.<stack>.yaml files`,
    );
    const file = join(dir(), 'Pulumi.a.yaml');
    writeFileSync(file, 'config: {}\n');
    expect(errorOf(() => findStackFiles(file)).message).toContain('is not a folder');
  });

  it('synth reports a missing --root as a SynthError (printed without a stack trace)', () => {
    const error = errorOf(() => synthesize({ root: join(dir(), 'nope'), check: true }));
    expect(error).toBeInstanceOf(SynthError);
    expect(error.message).toContain('does not exist: give --root a folder holding Pulumi.<stack>.yaml files');
  });

  it('refuses a plaintext hcloudToken without echoing it', () => {
    const root = dir();
    mkdirSync(join(root, 'x'));
    const file = join(root, 'Pulumi.t.yaml');
    writeFileSync(file, 'config:\n  agent-platform:hcloudToken: hunter2-plain-token\n  agent-platform:platform: {}\n');
    const message = errorOf(() => readStackConfig(file)).message;
    expect(message).toContain(
      'config["agent-platform:hcloudToken"] is in plain text in the stack file; remove it and run `pulumi config set --secret agent-platform:hcloudToken <value>`',
    );
    expect(message).not.toContain('hunter2');
  });

  it('accepts an encrypted hcloudToken', () => {
    const file = join(dir(), 'Pulumi.t.yaml');
    writeFileSync(
      file,
      'config:\n  agent-platform:hcloudToken:\n    secure: AAABAJx1\n  agent-platform:platform: {}\n',
    );
    expect(readStackConfig(file)).toEqual({});
  });
});
