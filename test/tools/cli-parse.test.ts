import { Command } from 'commander';
import { parseQuietly } from '../../tools/cli-parse';
import { runSimulate } from '../../tools/simulate';

const cli = () => new Command('tool').requiredOption('--stack <name>', 'stack');

describe('parseQuietly', () => {
  it('goes on when the options parse', () => {
    const c = cli();
    expect(parseQuietly(c, ['--stack', 'prod'], 'tool')).toBeUndefined();
    expect(c.opts()).toEqual({ stack: 'prod' });
  });

  it('answers --help with exit 0 and the help text, writing nothing', () => {
    const out = jest.spyOn(process.stdout, 'write');
    const refused = parseQuietly(cli(), ['--help'], 'tool');
    expect(refused).toMatchObject({ code: 0, err: '' });
    expect(refused!.out).toContain('--stack <name>');
    expect(out).not.toHaveBeenCalled();
    out.mockRestore();
  });

  it('refuses a usage error with exit 2 and one line naming the tool', () => {
    expect(parseQuietly(cli(), ['--stack', 'prod', '--nope'], 'tool')).toEqual({
      code: 2,
      out: '',
      err: "tool: error: unknown option '--nope'\n",
    });
    expect(parseQuietly(cli(), [], 'tool')?.err).toBe("tool: error: required option '--stack <name>' not specified\n");
  });

  it('is what simulate answers a usage error with', () => {
    expect(runSimulate(['--nope'], process.cwd())).toMatchObject({
      code: 2,
      err: "simulate: error: unknown option '--nope'\n",
    });
  });
});
