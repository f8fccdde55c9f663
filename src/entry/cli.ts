/**
 * The `kiosque` command: `build`, `serve`, `clean FILE... [--json]`. Parses arguments,
 * loads the config and calls the entries; prints results on stdout and logs on stderr.
 * `main` returns an exit code instead of exiting, so tests can drive it.
 *
 * Must not: hold pipeline or HTTP logic.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, type KiosqueConfig } from '../config.ts';
import { explainCorpus, formatExplanation } from '../core/clean/explain-corpus.ts';
import { detectFormat } from '../core/load/detect-format.ts';
import type { CleanDocument, RawDocument } from '../core/model.ts';
import { composeItemContent } from '../core/normalise/to-feed-item.ts';
import { cleanCorpus } from '../core/pipeline/clean-corpus.ts';
import { decodeText } from '../core/pipeline/collect-content.ts';
import type { RemoteProgress } from '../core/remote/collect-remote.ts';
import { escapeControl } from '../core/report/escape-control.ts';
import { createConsoleLogger } from '../drivers/logger/console-logger.ts';
import type { Logger } from '../ports/logger.ts';
import { createProgressBar, formatBuildReport } from './format-build-report.ts';
import { loadConfig } from './load-config.ts';
import { createNodeDeps, createNodeFetch, runBuild, siteInfoOf } from './node-runtime.ts';
import { startNodeServer } from './node-server.ts';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Whether stderr is a terminal (progress bar); defaults to process.stderr.isTTY. */
  readonly isTTY?: boolean;
}

const USAGE = `Usage: kiosque <command> [options]

Commands:
  build                 regenerate the feeds once and print a summary
  serve                 build, then serve the feeds and regenerate on the schedule
  clean FILE...         clean article files and print the result

Options:
  --config FILE         config file (default: ./kiosque.config.json when present)
  --content DIR         content folder (build, serve)
  --out DIR             output folder for the published feeds (build, serve)
  --port N              port to listen on (serve; PORT also works)
  --changed FILE        build: only FILE may have changed (repeat for several; paths in the
                        content folder); other files are trusted unchanged and never read
  --full                build: ignore every index; re-read, re-clean, re-render, republish all
  --json                clean: print a JSON array of items
  --explain             clean: every block with its decision, kind, score and reason
  -h, --help            show this help
`;

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
      body: decodeText(bytes).text,
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

/** Runs the command line; resolves to the process exit code. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(argv);
  } catch (error) {
    io.stderr(`kiosque: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr)(USAGE);
    return values.help ? 0 : 2;
  }
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
  } catch (error) {
    io.stderr(`kiosque: ${error instanceof ConfigError ? error.message : String(error)}\n`);
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
      return report.ok ? 0 : 1;
    }
    case 'serve': {
      const server = await startNodeServer(config, logger);
      io.stdout(`kiosque serving ${config.site.baseUrl} on ${server.url}\n`);
      await new Promise<void>((done) => {
        const stop = (signal: string) => {
          logger.info('shutting down', { signal });
          void server.close().then(done);
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      return 0;
    }
    default:
      io.stderr(`kiosque: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

function parseCli(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      content: { type: 'string' },
      out: { type: 'string' },
      port: { type: 'string' },
      json: { type: 'boolean' },
      explain: { type: 'boolean' },
      changed: { type: 'string', multiple: true },
      full: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
