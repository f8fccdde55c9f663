import { createLocalSource } from '../../../src/core/sources/local-source.ts';
import type { SourceRun } from '../../../src/core/sources/source.ts';
import type { ShardCensus } from '../../../src/core/state/shard-census.ts';
import { createMemoryStorage } from '../../../src/drivers/storage/memory.ts';
import type { Logger } from '../../../src/ports/logger.ts';
import { describeSourceContract, type SourceWorld } from './source-contract.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const encode = (text: string) => new TextEncoder().encode(text);

const article = (title: string, body: string) =>
  `---\ntitle: ${title}\ndate: 2026-11-16\n---\n\n${body}\n\nLe conseil municipal a voté un budget pour les écoles du quartier nord.\n`;

async function localWorld(): Promise<SourceWorld> {
  const content = createMemoryStorage();
  const state = createMemoryStorage();
  await content.put('news/b.md', encode(article('Bravo', 'Les travaux commenceront au printemps.')));
  await content.put('news/a.md', encode(article('Alpha', 'La mairie promet des classes neuves.')));
  await content.put('notes/c.txt', encode('Charlie\n\nUne note courte sur la rénovation des écoles.\n'));
  let census: Readonly<Record<string, ShardCensus>> = {};
  return {
    state,
    open(run: SourceRun) {
      const source = createLocalSource(run, { content, state, logger: silent, census });
      const commit = source.commit.bind(source);
      source.commit = async () => {
        await commit();
        census = source.census();
      };
      return source;
    },
    owns: (key) => key.startsWith('index/'),
    async breakOne() {
      // A sidecar that is not JSON: the article is reported, never thrown.
      await content.put('news/a.meta.json', encode('{not json'));
      return 'news/a.md';
    },
    async editOne() {
      await content.put('news/b.md', encode(article('Bravo', 'Les travaux commenceront en été.')));
      return 'news/b.md';
    },
    async removeOne() {
      await content.delete('notes/c.txt');
      return 'notes/c.txt';
    },
  };
}

describeSourceContract('local files', localWorld);
