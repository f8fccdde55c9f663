import { describe, expect, it } from 'vitest';
import { CliArgsError, parseCliArgs } from '../../src/entry/parse-cli-args.ts';

describe('parseCliArgs', () => {
  it('finds the command wherever options sit, and reads --name value and --name=value', () => {
    const parsed = parseCliArgs([
      '--config',
      'k.json',
      'build',
      '--out=public',
      '--changed',
      'a',
      '--changed=b',
    ]);
    expect(parsed.command?.name).toBe('build');
    expect(parsed.positionals).toEqual([]);
    expect(parsed.values).toEqual({ config: 'k.json', out: 'public', changed: ['a', 'b'] });
  });

  it('keeps positionals after the command and everything after --', () => {
    expect(parseCliArgs(['clean', 'a.txt', '--json', '--', '--odd.txt']).positionals).toEqual([
      'a.txt',
      '--odd.txt',
    ]);
    expect(parseCliArgs(['--', 'clean', '-x.txt']).positionals).toEqual(['-x.txt']);
  });

  it('reads short flags and allows no command', () => {
    expect(parseCliArgs(['-h']).values).toEqual({ help: true });
    expect(parseCliArgs(['-v']).command).toBeUndefined();
  });

  it.each([
    [['build', '--contnet', 'x'], 'unknown option --contnet; did you mean --content?'],
    [['build', '--contnet=x'], 'unknown option --contnet; did you mean --content?'],
    [['serve', '--prot', '1'], 'unknown option --prot; did you mean --port?'],
    [['build', '--'.concat('x')], 'unknown option --x'],
    [['build', '-q'], 'unknown option -q'],
    [['build', '--out'], 'option --out needs a value (DIR)'],
    [['build', '--out='], 'option --out needs a value (DIR)'],
    [['build', '--changed', '--full'], 'option --changed needs a value (FILE)'],
    [['clean', '--json=1'], 'option --json takes no value'],
    [['serve', '--changed', 'a'], 'option --changed does not apply to serve (it is for: build)'],
    [['bulid'], 'unknown command "bulid"; did you mean "build"?'],
    [['deploy'], 'unknown command "deploy"'],
  ])('%j → %s', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliArgsError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
