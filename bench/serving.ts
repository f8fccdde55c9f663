/**
 * Goal 1, serving: kiosque's Node server vs a raw `node:http` server returning the same bytes
 * from a Buffer with the same content-type / etag / content-length (/ content-encoding).
 * Both servers run pinned to CPU 0, autocannon pinned to CPU 1; scenarios are interleaved in
 * rounds (order reversed every other round, so drift hits both sides alike) and each figure is
 * the median over rounds.
 *
 * Must not: compare figures from different runs (ratios are within one run only).
 * Tunables: CONNECTIONS, and the durations passed in by run.ts. The load generator is autocannon
 * (bench/load-child.ts), one pinned process per round.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  lastJson,
  REPO_ROOT,
  type RunningChild,
  runChild,
  shellLine,
  startChild,
  tsNode,
} from './lib/child-process.ts';
import { fmt, type GoalResult, log, passMark, type SectionResult, table } from './lib/report.ts';
import { median } from './lib/stats.ts';
import type { LoadJob, LoadResult } from './load-child.ts';
import type { RawSpec } from './server-child.ts';

/** Enough concurrent connections to saturate one Node core without queueing for ever. */
const CONNECTIONS = 16;
const SERVER_CPU = 0;
const LOADGEN_CPU = 1;

export interface ServingOptions {
  readonly rounds: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
}

interface Scenario {
  readonly name: string;
  readonly label: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly expectStatus: number;
}

interface Fetched {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** Raw bytes as sent (fetch would decompress them). */
/** Headers node:http writes by itself on every response; the raw baseline must not repeat them. */
const NODE_ADDED_HEADERS: ReadonlySet<string> = new Set([
  'date',
  'connection',
  'keep-alive',
  'transfer-encoding',
]);

function get(url: string, headers: Readonly<Record<string, string>> = {}): Promise<Fetched> {
  return new Promise((resolveGet, reject) => {
    const req = request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolveGet({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function waitForFeed(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const res = await get(url).catch((error: unknown) => {
      last = (error as Error).message;
      return null;
    });
    if (res?.status === 200) return;
    if (res) last = `HTTP ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never answered 200 within 120 s (last: ${last})`);
}

function loadArgv(jobsFile: string): string[] {
  return tsNode(join(REPO_ROOT, 'bench/load-child.ts'), [jobsFile]);
}

/** Runs scenarios back to back in one pinned load-generator process; warns on unexpected statuses. */
async function load(
  work: string,
  list: readonly Scenario[],
  seconds: number,
  tag: string,
): Promise<LoadResult[]> {
  const jobsFile = join(work, `jobs-${tag}.json`);
  const jobs: LoadJob[] = list.map((s) => ({
    url: s.url,
    headers: s.headers,
    seconds,
    connections: CONNECTIONS,
  }));
  writeFileSync(jobsFile, JSON.stringify(jobs));
  const result = await runChild(loadArgv(jobsFile), {
    cpu: LOADGEN_CPU,
    timeoutMs: (list.length * (seconds + 5) + 30) * 1000,
  });
  const parsed = lastJson<LoadResult[]>(result);
  parsed.forEach((r, i) => {
    const s = list[i];
    if (!s) return;
    const unexpected = Object.entries(r.statuses)
      .filter(([code]) => Number(code) !== s.expectStatus)
      .map(([code, n]) => `${n}× ${code}`);
    if (r.errors > 0 || unexpected.length > 0) {
      log(`warning: ${s.name}: ${r.errors} errors; unexpected statuses ${unexpected.join(', ') || 'none'}`);
    }
  });
  return parsed;
}

export async function runServing(options: ServingOptions): Promise<SectionResult> {
  const work = mkdtempSync(join(tmpdir(), 'kiosque-bench-serve-'));
  const kiosqueArgv = tsNode(join(REPO_ROOT, 'bench/server-child.ts'), [
    'kiosque',
    '--content',
    join(REPO_ROOT, 'content'),
    '--out',
    join(work, 'feeds'),
  ]);
  const children: RunningChild<unknown>[] = [];
  try {
    log('serving: starting kiosque (pinned to CPU 0) and building the seed corpus');
    const kiosque = await startChild<{ url: string }>(kiosqueArgv, { cpu: SERVER_CPU });
    children.push(kiosque);
    const feedUrl = `${kiosque.ready.url}/feed.xml`;
    await waitForFeed(feedUrl);

    // The exact bytes and headers kiosque sends for each coding become the raw server's Buffers.
    const identity = await get(feedUrl);
    const gzip = await get(feedUrl, { 'Accept-Encoding': 'gzip' });
    const br = await get(feedUrl, { 'Accept-Encoding': 'br' });
    const etag = String(identity.headers.etag);
    const notModified = await get(feedUrl, { 'If-None-Match': etag });
    if (gzip.headers['content-encoding'] !== 'gzip' || br.headers['content-encoding'] !== 'br') {
      throw new Error('kiosque did not serve precompressed gzip/br variants of /feed.xml');
    }
    if (notModified.status !== 304) throw new Error(`If-None-Match gave ${notModified.status}, expected 304`);
    const spec: { variants: Record<string, RawSpec['variants'][string]> } = { variants: {} };
    for (const [name, fetched] of [
      ['identity', identity],
      ['gzip', gzip],
      ['br', br],
    ] as const) {
      const bodyFile = join(work, `feed.${name}`);
      writeFileSync(bodyFile, fetched.body);
      spec.variants[name] = {
        bodyFile,
        // Every header kiosque sent (not the ones Node adds itself), so both servers put the same
        // bytes on the wire and the load generator parses the same amount for each.
        headers: Object.fromEntries(
          Object.entries(fetched.headers)
            .filter(([key, value]) => value !== undefined && !NODE_ADDED_HEADERS.has(key))
            .map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : String(value)]),
        ),
      };
    }
    const specFile = join(work, 'raw-spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    const rawArgv = tsNode(join(REPO_ROOT, 'bench/server-child.ts'), ['raw', '--spec', specFile]);
    const raw = await startChild<{ urls: Record<string, string> }>(rawArgv, { cpu: SERVER_CPU });
    children.push(raw);
    const rawUrl = (name: string): string => `${raw.ready.urls[name] ?? ''}/feed.xml`;

    const scenarios: Scenario[] = [
      { name: 'k200', label: 'kiosque 200 identity', url: feedUrl, headers: {}, expectStatus: 200 },
      {
        name: 'raw200',
        label: 'raw node 200 identity',
        url: rawUrl('identity'),
        headers: {},
        expectStatus: 200,
      },
      {
        name: 'k304',
        label: 'kiosque 304 (If-None-Match)',
        url: feedUrl,
        headers: { 'If-None-Match': etag },
        expectStatus: 304,
      },
      {
        name: 'kgz',
        label: 'kiosque 200 gzip',
        url: feedUrl,
        headers: { 'Accept-Encoding': 'gzip' },
        expectStatus: 200,
      },
      {
        name: 'rawgz',
        label: 'raw node 200 gzip bytes',
        url: rawUrl('gzip'),
        headers: { 'Accept-Encoding': 'gzip' },
        expectStatus: 200,
      },
      {
        name: 'kbr',
        label: 'kiosque 200 br',
        url: feedUrl,
        headers: { 'Accept-Encoding': 'br' },
        expectStatus: 200,
      },
      {
        name: 'rawbr',
        label: 'raw node 200 br bytes',
        url: rawUrl('br'),
        headers: { 'Accept-Encoding': 'br' },
        expectStatus: 200,
      },
    ];

    if (options.warmupSeconds > 0) {
      log(`serving: warm-up ${options.warmupSeconds}s per scenario`);
      await load(work, scenarios, options.warmupSeconds, 'warmup');
    }
    const runs = new Map<string, LoadResult[]>(scenarios.map((s) => [s.name, []]));
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? scenarios : [...scenarios].reverse();
      log(`serving: round ${round + 1}/${options.rounds} (${order.map((s) => s.name).join(', ')})`);
      const results = await load(work, order, options.seconds, `round${round}`);
      order.forEach((s, i) => {
        const r = results[i];
        if (r) runs.get(s.name)?.push(r);
      });
    }

    const summary = new Map(
      scenarios.map((s) => {
        const list = runs.get(s.name) ?? [];
        return [
          s.name,
          {
            rps: median(list.map((r) => r.rps)),
            p50: median(list.map((r) => r.p50)),
            p99: median(list.map((r) => r.p99)),
            all: list.map((r) => Math.round(r.rps)),
          },
        ] as const;
      }),
    );
    const rps = (name: string): number => summary.get(name)?.rps ?? Number.NaN;
    const ratio = (a: string, b: string): number => rps(a) / rps(b);
    const goals: GoalResult[] = [
      {
        goal: '1 serving: /feed.xml 200 vs raw node',
        target: '≥ 0.90×',
        measured: `${ratio('k200', 'raw200').toFixed(2)}×`,
        pass: ratio('k200', 'raw200') >= 0.9,
      },
      {
        goal: '1 serving: 304 vs kiosque 200',
        target: '≥ 1.60×',
        measured: `${ratio('k304', 'k200').toFixed(2)}×`,
        pass: ratio('k304', 'k200') >= 1.6,
      },
      {
        goal: '1 serving: gzip vs raw node gzip bytes',
        target: '≥ 0.90×',
        measured: `${ratio('kgz', 'rawgz').toFixed(2)}×`,
        pass: ratio('kgz', 'rawgz') >= 0.9,
      },
      {
        goal: '1 serving: br vs raw node br bytes',
        target: '≥ 0.90×',
        measured: `${ratio('kbr', 'rawbr').toFixed(2)}×`,
        pass: ratio('kbr', 'rawbr') >= 0.9,
      },
    ];
    const rows = scenarios.map((s) => {
      const r = summary.get(s.name);
      return [
        s.label,
        fmt(r?.rps ?? Number.NaN, 0),
        fmt(r?.p50 ?? Number.NaN, 1),
        fmt(r?.p99 ?? Number.NaN, 1),
        (r?.all ?? []).join(' / '),
      ];
    });
    const sizes = `identity ${identity.body.byteLength} B, gzip ${gzip.body.byteLength} B, br ${br.body.byteLength} B`;
    const markdown = [
      `Seed corpus (content/, ${kiosque.ready.url ? 'built by the server at start' : ''}); /feed.xml is ${sizes}. ` +
        `Servers pinned to CPU ${SERVER_CPU}, autocannon (${CONNECTIONS} connections, pipelining 1) pinned to CPU ${LOADGEN_CPU}; ` +
        `${options.rounds} interleaved rounds of ${options.seconds} s after ${options.warmupSeconds} s warm-up per scenario; medians over rounds.`,
      '',
      table(['scenario', 'req/s', 'p50 ms', 'p99 ms', 'req/s per round'], rows),
      '',
      table(
        ['ratio', 'goal', 'measured', 'result'],
        goals.map((g) => [g.goal.replace('1 serving: ', ''), g.target, g.measured, passMark(g.pass)]),
      ),
    ].join('\n');
    return {
      title: 'Serving (goal 1)',
      markdown,
      goals,
      commands: [
        shellLine(['taskset', '-c', String(SERVER_CPU), ...kiosqueArgv]),
        shellLine(['taskset', '-c', String(SERVER_CPU), ...rawArgv]),
        shellLine(['taskset', '-c', String(LOADGEN_CPU), ...loadArgv(join(work, 'jobs-round0.json'))]),
        `# each job: autocannon({ url, connections: ${CONNECTIONS}, pipelining: 1, duration: ${options.seconds}, headers }), e.g. headers { 'If-None-Match': '${etag}' } for the 304 scenario`,
      ],
    };
  } finally {
    for (const child of children.reverse()) await child.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
