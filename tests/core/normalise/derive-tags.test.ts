import { describe, expect, it } from 'vitest';
import type { Block } from '../../../src/core/model.ts';
import { deriveTags, MAX_DERIVED_TAGS } from '../../../src/core/normalise/derive-tags.ts';

const p = (text: string): Block => ({ kind: 'paragraph', text });

describe('deriveTags', () => {
  it('finds repeated proper nouns, stripping elided articles', () => {
    const blocks = [
      p("Le secrétaire général de l'OTAN a parlé à Belgrade. Les troupes de l'OTAN restent au Kosovo."),
      p("La Serbie dément. Selon Belgrade, le Kosovo n'est pas menacé par la Serbie."),
    ];
    expect(deriveTags(blocks, 'fr')).toEqual(['OTAN', 'Belgrade', 'Kosovo', 'Serbie']);
  });

  it('joins multi-word names across connectors, not across punctuation', () => {
    const blocks = [
      p('Il travaille pour la Banque de France depuis 2010. La Banque de France a confirmé.'),
      p('Il cite Paris, Lyon et Marseille. Puis Paris, encore.'),
    ];
    expect(deriveTags(blocks, 'fr')).toEqual(['Banque de France', 'Paris']);
  });

  it('ignores capitals that only open sentences, and single stopwords', () => {
    const blocks = [p('Néanmoins il pleut. Néanmoins il vente. Cependant rien. Cependant tout.')];
    expect(deriveTags(blocks, 'fr')).toEqual([]);
  });

  it('keeps a name that opens one sentence when it also appears mid-sentence', () => {
    expect(deriveTags([p('Kirby a parlé. Hier, John Kirby et Kirby ont parlé.')], 'en')).toContain('Kirby');
  });

  it('drops an article opening a sentence but keeps it inside a name mid-sentence', () => {
    expect(deriveTags([p('Le Monde publie. Selon Le Monde, rien.')], 'fr')).toEqual(['Le Monde']);
  });

  it('skips headings, English months and languages that capitalise every noun', () => {
    expect(deriveTags([{ kind: 'heading', text: 'Big News Today Big News', level: 2 }], 'en')).toEqual([]);
    expect(deriveTags([p('It rained in June. In June it rained.')], 'en')).toEqual([]);
    expect(deriveTags([p('Der Hund und der Hund sahen die Katze.')], 'de')).toEqual([]);
  });

  it('returns at most MAX_DERIVED_TAGS, most frequent first', () => {
    const names = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'Golf'];
    const text = names
      .map((n, i) => `Hier ${n} ${'et encore '.repeat(1)}${n}${i < 1 ? ` puis ${n}` : ''}.`)
      .join(' ');
    const tags = deriveTags([p(text)], 'fr');
    expect(tags).toHaveLength(MAX_DERIVED_TAGS);
    expect(tags[0]).toBe('Alpha');
  });
});
