/**
 * The `kiosque` command: `build`, `serve`, `clean FILE... [--json]`, `help [COMMAND]`,
 * `--version`. Parses arguments (parse-cli-args.ts, against the table in cli-commands.ts),
 * loads the config and calls the entries; prints results on stdout and logs on stderr. Errors
 * are one line each in kiosque's words (`kiosque: unknown option --contnet; did you mean
 * --content?`); a config with several problems prints them all, one per line.
 * `main` returns an exit code instead of exiting, so tests can drive it.
 *
 * Must not: hold pipeline or HTTP logic.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { ConfigError, type KiosqueConfig } from '../config.ts';
import { cleanCorpus } from '../core/corpus/clean-corpus.ts';
import { explainCorpus, formatExplanation } from '../core/corpus/explain-corpus.ts';
import { detectFormat } from '../core/load/detect-format.ts';
import type { CleanDocument, RawDocument } from '../core/model.ts';
import { composeItemContent } from '../core/normalise/to-feed-item.ts';
import type { RemoteProgress } from '../core/remote/collect-remote.ts';
import { escapeControl } from '../core/report/escape-control.ts';
import { decodeText } from '../core/sources/collect-content.ts';
import { createConsoleLogger } from '../drivers/logger/console-logger.ts';
import type { Logger } from '../ports/logger.ts';
import { buildExitCode } from './build-exit-code.ts';
import { type CommandSpec, renderCommandHelp, renderHelp } from './cli-commands.ts';
import { createProgressBar, formatBuildReport } from './format-build-report.ts';
import { loadConfig } from './load-config.ts';
import { createNodeDeps, createNodeFetch, runBuild, siteInfoOf } from './node-runtime.ts';
import { startNodeServer } from './node-server.ts';
import { KIOSQUE_VERSION } from './package-version.ts';
import { CliArgsError, type ParsedArgs, parseCliArgs } from './parse-cli-args.ts';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Whether stderr is a terminal (progress bar); defaults to process.stderr.isTTY. */
  readonly isTTY?: boolean;
}

/** The JSON shape of one cleaned item for `kiosque clean --json`. */
export function cleanItemJson(doc: CleanDocument, file: string, config: KiosqueConfig) {
  const content = composeItemContent(doc, siteInfoOf(config));
  return {
    file,
    title: content.title,
    lead: content.lead,
    author: content.author ?? null,
    publisher: content.publisher ?? null,
    language: content.language,
    date: content.date ?? null,
    tags: content.tags,
    blocks: doc.blocks.map((b) => ({ kind: b.kind, text: b.text, ...(b.level ? { level: b.level } : {}) })),
    removed: doc.removed.map((r) => ({ text: r.text, rule: r.rule, reason: r.reason })),
    warnings: content.warnings,
  };
}

/** An absolute path → its key in the content store (`source/file.md`), or null when outside it. */
export function contentKeyOf(contentDir: string, path: string): string | null {
  const rel = relative(resolve(contentDir), path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

function runClean(
  files: readonly string[],
  json: boolean,
  config: KiosqueConfig,
  io: CliIo,
  explain = false,
): number {
  if (files.length === 0) {
    io.stderr('kiosque clean: give at least one FILE\n');
    return 2;
  }
  const raws: RawDocument[] = [];
  let status = 0;
  for (const file of files) {
    const path = resolve(io.cwd, file);
    const format = detectFormat(path);
    if (!format) {
      io.stderr(`kiosque clean: ${escapeControl(file)}: unknown extension (expected .txt, .md or .html)\n`);
      status = 1;
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(path);
    } catch (error) {
      io.stderr(
        `kiosque clean: ${escapeControl(`${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)}\n`,
      );
      status = 1;
      continue;
    }
    raws.push({
      sourceId: relative(io.cwd, path) || file,
      file,
      source: dirname(path),
      format,
      body: decodeText(bytes, format === 'html').text,
    });
  }
  if (explain) {
    // Every block with its decision, kind, signals and reason (issue 3).
    const explained = explainCorpus(raws, config.site.language);
    for (const failure of explained.failures)
      io.stderr(`kiosque clean: ${escapeControl(`${failure.sourceId}: ${failure.message}`)}\n`);
    io.stdout(
      json
        ? `${JSON.stringify(explained.explanations, null, 2)}\n`
        : explained.explanations.map(formatExplanation).join('\n'),
    );
    return explained.failures.length > 0 ? 1 : status;
  }
  const corpus = cleanCorpus(raws, config.site.language);
  for (const failure of corpus.failures) {
    io.stderr(`kiosque clean: ${escapeControl(`${failure.sourceId}: ${failure.message}`)}\n`);
    status = 1;
  }
  const byId = new Map(raws.map((r) => [r.sourceId, r.file]));
  // Not a failure: the copy a build would not publish, named with the file published instead.
  for (const { file, into } of corpus.folded)
    io.stderr(
      `kiosque clean: ${escapeControl(`${byId.get(file) ?? file}: folded into ${byId.get(into) ?? into} (the same story; only that file is published)`)}
`,
    );
  const items = corpus.documents.map((doc) =>
    cleanItemJson(doc, byId.get(doc.raw.sourceId) ?? doc.raw.file, config),
  );
  if (json) {
    io.stdout(`${JSON.stringify(items, null, 2)}\n`);
    return status;
  }
  // One line per fact, untrusted text escaped (a file name or title cannot forge a line).
  const line = (text: string): void => io.stdout(`${escapeControl(text)}\n`);
  for (const item of items) {
    line(`== ${basename(item.file)} [${item.language}]`);
    line(`title:     ${item.title}`);
    line(`lead:      ${item.lead}`);
    if (item.author) line(`author:    ${item.author}`);
    if (item.publisher) line(`publisher: ${item.publisher}`);
    for (const block of item.blocks) line(`  + ${block.kind.padEnd(9)} ${block.text.slice(0, 100)}`);
    for (const removal of item.removed) line(`  - ${removal.rule.padEnd(24)} ${removal.text.slice(0, 80)}`);
    for (const warning of item.warnings) line(`  ! ${warning.code}: ${warning.message}`);
  }
  return status;
}

/** The option values main uses, typed (the parser checked names and arity). */
interface CliValues {
  readonly config?: string;
  readonly content?: string;
  readonly out?: string;
  readonly port?: string;
  readonly json?: boolean;
  readonly explain?: boolean;
  readonly changed?: readonly string[];
  readonly full?: boolean;
  readonly allowRemovals?: boolean;
}

function cliValues(parsed: ParsedArgs): CliValues {
  const text = (name: string) => {
    const value = parsed.values[name];
    return typeof value === 'string' ? { [name]: value } : {};
  };
  const flag = (name: string) => (parsed.values[name] === true ? { [name]: true } : {});
  const changed = parsed.values.changed;
  return {
    ...text('config'),
    ...text('content'),
    ...text('out'),
    ...text('port'),
    ...flag('json'),
    ...flag('explain'),
    ...flag('full'),
    ...(parsed.values['allow-removals'] === true ? { allowRemovals: true } : {}),
    ...(Array.isArray(changed) ? { changed } : {}),
  };
}

/**
 * What needs no config: `--version`, `help [COMMAND]`, `--help`, no command, stray arguments.
 * Returns the exit code, or null when the command should run.
 */
function answerWithoutConfig(parsed: ParsedArgs, io: CliIo): number | null {
  const { command, positionals, values } = parsed;
  if (values.version === true) {
    io.stdout(`kiosque ${KIOSQUE_VERSION}\n`);
    return 0;
  }
  if (command === undefined) {
    (values.help === true ? io.stdout : io.stderr)(renderHelp(KIOSQUE_VERSION));
    return values.help === true ? 0 : 2;
  }
  if (command.name === 'help') return runHelp(positionals, io);
  if (values.help === true) {
    io.stdout(renderCommandHelp(command));
    return 0;
  }
  if (command.args === undefined && positionals.length > 0) {
    io.stderr(
      `kiosque ${command.name}: unexpected argument "${positionals[0]}"\nRun 'kiosque help ${command.name}' for usage.\n`,
    );
    return 2;
  }
  return null;
}

/** `kiosque help [COMMAND]`. */
function runHelp(positionals: readonly string[], io: CliIo): number {
  const [name, extra] = positionals;
  if (name === undefined) {
    io.stdout(renderHelp(KIOSQUE_VERSION));
    return 0;
  }
  let command: CommandSpec | undefined;
  try {
    command = parseCliArgs([name]).command;
  } catch (error) {
    io.stderr(`kiosque help: ${(error as Error).message}\nRun 'kiosque help' for the commands.\n`);
    return 2;
  }
  if (command === undefined || extra !== undefined) {
    io.stderr("kiosque help: give one command, as in 'kiosque help build'\n");
    return 2;
  }
  io.stdout(renderCommandHelp(command));
  return 0;
}

/** A config error for the terminal: the file named relative to the working directory. */
function describeConfigError(error: unknown, cwd: string): string {
  if (!(error instanceof ConfigError)) return String(error);
  if (error.origin === undefined) return error.message;
  const rel = relative(cwd, error.origin);
  const shown = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : error.origin;
  return new ConfigError(error.problems, shown).message;
}

/** Runs the command line; resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ParsedArgs;
  try {
    parsed = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof CliArgsError)) throw error;
    const hint = error.command ? `kiosque help ${error.command}` : 'kiosque help';
    io.stderr(`kiosque: ${error.message}\nRun '${hint}' for usage.\n`);
    return 2;
  }
  const early = answerWithoutConfig(parsed, io);
  if (early !== null) return early;
  const values = cliValues(parsed);
  const command = parsed.command?.name;
  const rest = parsed.positionals;
  let config: KiosqueConfig;
  try {
    const env = values.port ? { ...io.env, PORT: values.port } : io.env;
    config = loadConfig(values.config, env, io.cwd).config;
    if (values.content) config = { ...config, contentDir: resolve(io.cwd, values.content) };
    if (values.out)
      config = {
        ...config,
        outDir: resolve(io.cwd, values.out),
        stateDir: resolve(io.cwd, values.out, '.state'),
      };
    if (values.allowRemovals) config = { ...config, allowRemovals: true };
  } catch (error) {
    io.stderr(`kiosque: ${describeConfigError(error, io.cwd)}\n`);
    return 2;
  }
  const logger: Logger = createConsoleLogger({ write: (line) => io.stderr(`${line}\n`) });
  switch (command) {
    case 'clean':
      return runClean(rest, values.json ?? false, config, io, values.explain ?? false);
    case 'build': {
      const fetchDriver = createNodeFetch(config, logger);
      const bar = (io.isTTY ?? process.stderr.isTTY === true) ? createProgressBar(io.stderr) : undefined;
      const changedKeys: string[] = [];
      for (const file of values.changed ?? []) {
        const key = contentKeyOf(config.contentDir, resolve(io.cwd, file));
        if (key === null) {
          io.stderr(
            `kiosque build: --changed ${file} is not inside the content folder ${config.contentDir}\n`,
          );
          return 2;
        }
        changedKeys.push(key);
      }
      const report = await runBuild(config, createNodeDeps(config, logger, undefined, fetchDriver), {
        ...(bar ? { onProgress: (p: RemoteProgress) => bar.update(p) } : {}),
        ...(values.changed ? { changedKeys } : {}),
        ...(values.full ? { full: true } : {}),
      });
      bar?.done();
      await fetchDriver?.close();
      io.stdout(formatBuildReport(report, config.outDir));
      return buildExitCode(report);
    }
    case 'serve': {
      const server = await startNodeServer(config, logger);
      config = server.config; // the base URL may follow the port the server got
      io.stdout(`kiosque serving ${config.site.baseUrl} on ${server.url}\n`);
      await new Promise<void>((done) => {
        // The handlers stay until the process exits (they do not keep it alive): the same stop
        // request often arrives twice (a terminal's Ctrl-C reaches npm and node, and npm forwards
        // it again; systemd signals the whole control group), and Node's default action for the
        // second one would kill the process mid-shutdown. (One that lands after `stopped`, while
        // Node exits, still ends it by the signal: harmless then.) The shutdown is bounded by
        // shutdownGraceSeconds; SIGKILL forces it.
        let stopping = false;
        const stop = (signal: NodeJS.Signals) => {
          logger.info(stopping ? 'already shutting down' : 'shutting down', { signal });
          if (stopping) return;
          stopping = true;
          void server.close().then(() => {
            logger.info('stopped', { signal });
            done();
          });
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });
      return 0;
    }
    default:
      io.stderr(`kiosque: unknown command "${command}"\nRun 'kiosque help' for usage.\n`);
      return 2;
  }
}
