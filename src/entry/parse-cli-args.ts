/**
 * argv → the command, its positional arguments and option values, checked against the command
 * table (cli-commands.ts). Errors are kiosque's own sentences, with the closest valid option:
 * `unknown option --contnet; did you mean --content?`, `option --out needs a value (DIR)`,
 * `option --json does not apply to build (it is for: clean)`.
 *
 * Accepts `--name value`, `--name=value`, `-h`, `-v`, and `--` (everything after it is
 * positional). A value may not start with `--` unless given as `--name=--value`, so a missing
 * value is reported instead of swallowing the next option. Pure: no I/O.
 * Must not: know what commands do (cli.ts).
 */
import { closestName } from '../closest-name.ts';
import {
  COMMANDS,
  type CommandSpec,
  commandNamed,
  OPTIONS,
  type OptionSpec,
  optionNamed,
} from './cli-commands.ts';

export interface ParsedArgs {
  /** The command named first, or undefined when none was given. */
  readonly command: CommandSpec | undefined;
  readonly positionals: readonly string[];
  /** Long option name → string (valued), string[] (multiple) or true (flag). */
  readonly values: Readonly<Record<string, string | readonly string[] | true>>;
}

/** A command line kiosque cannot run; `command` names the command the help hint should point at. */
export class CliArgsError extends Error {
  override readonly name = 'CliArgsError';
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super(message);
  }
}

function unknownOption(written: string, command: CommandSpec | undefined): CliArgsError {
  const bare = written.replace(/^-+/, '').replace(/=.*$/, '');
  const candidates = (command?.options ?? OPTIONS.map((o) => o.name)).filter((n) => n !== bare);
  const guess = written.startsWith('--') ? closestName(bare, candidates) : null;
  return new CliArgsError(
    `unknown option ${written.replace(/=.*$/, '')}${guess ? `; did you mean --${guess}?` : ''}`,
    command?.name,
  );
}

/** The option a token names (`--out`, `--out=x`, `-h`), or an error. */
function optionOf(token: string, command: CommandSpec | undefined): OptionSpec {
  const long = token.startsWith('--');
  const name = long ? token.slice(2).replace(/=.*$/, '') : token.slice(1);
  const option = long ? optionNamed(name) : OPTIONS.find((o) => o.short === name);
  if (option === undefined || name === '') throw unknownOption(token, command);
  if (command && !command.options.includes(option.name)) {
    const owners = COMMANDS.filter((c) => c.options.includes(option.name)).map((c) => c.name);
    throw new CliArgsError(
      `option --${option.name} does not apply to ${command.name} (it is for: ${owners.join(', ')})`,
      command.name,
    );
  }
  return option;
}

/** Parses argv; throws CliArgsError. The command is the first positional, options may come anywhere. */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  // The command decides which options apply, so find it first (the first non-option word).
  const commandName = firstPositional(argv);
  const command = commandName === undefined ? undefined : commandNamed(commandName);
  if (commandName !== undefined && command === undefined) {
    const guess = closestName(
      commandName,
      COMMANDS.map((c) => c.name),
    );
    throw new CliArgsError(`unknown command "${commandName}"${guess ? `; did you mean "${guess}"?` : ''}`);
  }
  const values: Record<string, string | string[] | true> = {};
  const positionals: string[] = [];
  let sawCommand = false;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--') {
      const rest = argv.slice(i + 1);
      positionals.push(...(sawCommand || command === undefined ? rest : rest.slice(1)));
      break;
    }
    if (!token.startsWith('-') || token === '-') {
      if (sawCommand || command === undefined) positionals.push(token);
      sawCommand = true;
      continue;
    }
    const option = optionOf(token, command);
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    if (option.value === undefined) {
      if (eq !== -1) throw new CliArgsError(`option --${option.name} takes no value`, command?.name);
      values[option.name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = token.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        value = next;
        i++;
      }
    }
    if (value === undefined || value === '') {
      throw new CliArgsError(`option --${option.name} needs a value (${option.value})`, command?.name);
    }
    if (option.multiple) {
      const list = values[option.name];
      values[option.name] = [...(Array.isArray(list) ? list : []), value];
    } else {
      values[option.name] = value;
    }
  }
  return { command, positionals, values };
}

/** The first word that is neither an option nor an option's value. */
function firstPositional(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] ?? '';
    if (token === '--') return argv[i + 1];
    if (!token.startsWith('-') || token === '-') return token;
    const option = token.startsWith('--')
      ? optionNamed(token.slice(2).replace(/=.*$/, ''))
      : OPTIONS.find((o) => o.short === token.slice(1));
    const next = argv[i + 1];
    if (option?.value !== undefined && !token.includes('=') && next !== undefined && !next.startsWith('--'))
      i++;
  }
  return undefined;
}
