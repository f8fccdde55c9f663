/**
 * The `kiosque` command line as data: each command with its summary and options, and each
 * option with its value placeholder and help text. The argument parser (parse-cli-args.ts) and
 * the help pages (`kiosque help [COMMAND]`) both read this table, so they cannot disagree.
 *
 * Must not: run anything (cli.ts does). Adding an option: one row in OPTIONS, its name in the
 * `options` of each command it applies to.
 */

export interface OptionSpec {
  /** Long name, without the dashes. */
  readonly name: string;
  readonly short?: string;
  /** Placeholder for the value (`DIR`), or absent for a flag. */
  readonly value?: string;
  /** May be given more than once (values collected in order). */
  readonly multiple?: boolean;
  /** Help text; continuation lines are indented under it. */
  readonly help: readonly string[];
}

export interface CommandSpec {
  readonly name: string;
  /** `FILE...` after the name in the usage line, if any. */
  readonly args?: string;
  readonly summary: string;
  /** A few lines shown under the usage line of the command's own help. */
  readonly description: readonly string[];
  readonly options: readonly string[];
}

export const OPTIONS: readonly OptionSpec[] = [
  {
    name: 'config',
    value: 'FILE',
    help: ['config file (default: ./kiosque.config.json when present)'],
  },
  { name: 'content', value: 'DIR', help: ['content folder (overrides contentDir)'] },
  { name: 'out', value: 'DIR', help: ['output folder for the published feeds (overrides outDir)'] },
  {
    name: 'port',
    value: 'N',
    help: ['port to listen on (PORT also works); links follow it when no base URL is set'],
  },
  {
    name: 'changed',
    value: 'FILE',
    multiple: true,
    help: [
      'only FILE may have changed (repeat for several; paths in the content folder);',
      'other files are trusted unchanged and never read',
    ],
  },
  { name: 'full', help: ['ignore every index: re-read, re-clean, re-render and republish everything'] },
  {
    name: 'allow-removals',
    help: ['allow a run that unpublishes every item, or more than half of them (config allowRemovals)'],
  },
  { name: 'json', help: ['print JSON instead of a readable report'] },
  { name: 'explain', help: ['every block with its decision, kind, score and reason'] },
  { name: 'help', short: 'h', help: ['show help'] },
  { name: 'version', short: 'v', help: ['print the version'] },
];

const COMMON = ['config', 'help', 'version'];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'build',
    summary: 'regenerate the feeds once and print a summary',
    description: [
      'Regenerates the feeds once, publishes them into the output folder and prints a summary.',
      'Links use SITE_URL or site.baseUrl, else the address `serve` would listen on (HOST, PORT).',
      'Exit status: 0 published; 1 failed, nothing published (the last good feeds stay);',
      '2 usage or configuration error; 3 published, but some source or file failed;',
      '4 published, but every remote source failed.',
    ],
    options: ['content', 'out', 'port', 'changed', 'full', 'allow-removals', ...COMMON],
  },
  {
    name: 'serve',
    summary: 'build, then serve the feeds and regenerate on the schedule',
    description: [
      'Builds at start, serves the published feeds over HTTP on HOST:PORT and regenerates',
      'on the schedule. Stops on SIGTERM or SIGINT, letting a run in progress finish.',
    ],
    options: ['content', 'out', 'port', 'allow-removals', ...COMMON],
  },
  {
    name: 'clean',
    args: 'FILE...',
    summary: 'clean article files and print the result',
    description: [
      'Cleans each article file (.txt, .md, .html) and prints what was kept and removed;',
      'publishes nothing. Exits 1 when a file cannot be read or cleaned.',
    ],
    options: ['json', 'explain', ...COMMON],
  },
  {
    name: 'help',
    args: '[COMMAND]',
    summary: 'show help for kiosque or for one command',
    description: ['Shows the commands, or one command with its options.'],
    options: ['help', 'version'],
  },
];

export function commandNamed(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}

export function optionNamed(name: string): OptionSpec | undefined {
  return OPTIONS.find((option) => option.name === name);
}

/** Width of the left column of help tables. */
const COLUMN = 18;

function row(left: string, lines: readonly string[]): string {
  const [first = '', ...rest] = lines;
  const pad = ' '.repeat(COLUMN + 2);
  const head = left.length < COLUMN ? `  ${left.padEnd(COLUMN)}${first}` : `  ${left}\n${pad}${first}`;
  return [head, ...rest.map((line) => `${pad}${line}`)].join('\n');
}

function optionLabel(option: OptionSpec): string {
  const long = `--${option.name}${option.value ? ` ${option.value}` : ''}`;
  return option.short ? `-${option.short}, ${long}` : long;
}

/** `kiosque help`: the commands and the options every command takes. */
export function renderHelp(version: string): string {
  const common = COMMON.map(optionNamed).filter((o): o is OptionSpec => o !== undefined);
  return [
    `kiosque ${version}: cleans articles and publishes them as RSS, Atom and JSON feeds`,
    '',
    'Usage: kiosque <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => row(`${c.name}${c.args ? ` ${c.args}` : ''}`, [c.summary])),
    '',
    'Options for every command:',
    ...common.map((o) => row(optionLabel(o), o.help)),
    '',
    "Run 'kiosque help <command>' for the options of a command.",
    'Settings come from kiosque.config.json and the environment (PORT, HOST, SITE_URL,',
    'TRUST_PROXY); docs/configuration.md lists them all.',
    '',
  ].join('\n');
}

/** `kiosque help COMMAND`: its usage, what it does, and its options. */
export function renderCommandHelp(command: CommandSpec): string {
  const options = command.options.map(optionNamed).filter((o): o is OptionSpec => o !== undefined);
  return [
    `Usage: kiosque ${command.name}${command.args ? ` ${command.args}` : ''} [options]`,
    '',
    ...command.description,
    '',
    'Options:',
    ...options.map((o) => row(optionLabel(o), o.help)),
    '',
  ].join('\n');
}
