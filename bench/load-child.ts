/**
 * The load generator, in its own process (the bench pins it to the CPU the servers do not use):
 * runs a list of autocannon jobs one after the other and prints their results as one JSON array.
 * One process per round instead of one per job keeps process start-up out of the timings.
 *
 * Usage: node --import tsx bench/load-child.ts JOBS.json
 *   JOBS.json: [{ "url", "headers", "seconds", "connections" }, ...]
 * Must not: print anything else on stdout.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadJob {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly seconds: number;
  readonly connections: number;
}

export interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly statuses: Readonly<Record<string, number>>;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: load-child.ts JOBS.json');
  const jobs = JSON.parse(readFileSync(file, 'utf8')) as LoadJob[];
  const results: LoadResult[] = [];
  for (const job of jobs) {
    const r = await autocannon({
      url: job.url,
      connections: job.connections,
      pipelining: 1,
      duration: job.seconds,
      headers: { ...job.headers },
    });
    const statuses: Record<string, number> = {};
    for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) statuses[code] = stat.count;
    results.push({
      rps: r.requests.average,
      p50: r.latency.p50,
      p99: r.latency.p99,
      errors: r.errors + r.timeouts,
      statuses,
    });
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`load-child: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
