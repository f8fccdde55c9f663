/**
 * Fixed FeedDocuments for the renderer tests. Builders return fresh objects so no
 * test can leak a change into another. Dates are fixed; nothing reads the clock.
 */
import type { FeedDocument, FeedItem, SiteInfo } from '../../../src/core/model.ts';

export function createSite(overrides: Partial<SiteInfo> = {}): SiteInfo {
  return {
    title: 'Kiosque — Revue de presse',
    description: 'Articles nettoyés, publiés en RSS, Atom et JSON Feed.',
    baseUrl: 'https://news.example',
    language: 'fr',
    ttlMinutes: 30,
    ...overrides,
  };
}

export function createItem(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    id: 'urn:uuid:0b7d3c1e-5a2f-4c1e-9d3a-1f2e3d4c5b6a',
    slug: 'ete-record',
    url: 'https://news.example/articles/ete-record',
    externalUrl: 'https://journal.example/2025/06/ete-record',
    title: 'Un été record à Marseille',
    lead: 'Les températures ont dépassé 40 °C pendant trois jours consécutifs.',
    contentHtml:
      '<p>Les températures ont dépassé 40 °C pendant trois jours consécutifs.</p>\n' +
      '<h2>Des mesures d’urgence</h2>\n<p>La préfecture a déclenché le plan « canicule ».</p>',
    contentText:
      'Les températures ont dépassé 40 °C pendant trois jours consécutifs.\n\nDes mesures d’urgence\n\n' +
      'La préfecture a déclenché le plan « canicule ».',
    blocks: [
      { kind: 'paragraph', text: 'Les températures ont dépassé 40 °C pendant trois jours consécutifs.' },
      { kind: 'heading', text: 'Des mesures d’urgence', level: 2 },
      { kind: 'paragraph', text: 'La préfecture a déclenché le plan « canicule ».' },
    ],
    language: 'fr',
    author: 'Camille Dupré',
    publisher: 'Le Journal du Sud',
    tags: ['climat', 'Marseille'],
    published: '2025-06-03T10:00:00Z',
    updated: '2025-06-03T12:30:00Z',
    contentHash: 'sha256-aaaa',
    sourceId: 'content/ete-record.md',
    warnings: [],
    ...overrides,
  };
}

/** Three realistic French items, newest first, distinct dates, one without author. */
export function createItems(): FeedItem[] {
  return [
    createItem(),
    createItem({
      id: 'urn:uuid:1c8e4d2f-6b3a-4d2f-8e4b-2a3f4e5d6c7b',
      slug: 'velo-lyon',
      url: 'https://news.example/articles/velo-lyon',
      title: 'Lyon étend son réseau de pistes cyclables & de voies vertes',
      lead: 'La métropole ajoute 60 km de pistes d’ici 2026.',
      contentHtml:
        '<p>La métropole ajoute 60 km de pistes d’ici 2026.</p>\n' +
        '<blockquote><p>« C’est une révolution », dit l’adjointe.</p></blockquote>\n' +
        '<ul><li>Rive gauche</li><li>Presqu’île</li></ul>',
      contentText:
        'La métropole ajoute 60 km de pistes d’ici 2026.\n\n« C’est une révolution », dit l’adjointe.',
      author: 'Élodie Martin',
      publisher: 'Lyon Quotidien',
      tags: ['mobilité', 'vélo', 'Lyon'],
      published: '2025-06-02T08:15:00Z',
      updated: '2025-06-02T08:15:00Z',
      externalUrl: 'https://lyon.example/velo',
      sourceId: 'content/velo-lyon.html',
    }),
    createItem({
      id: 'urn:uuid:2d9f5e3a-7c4b-4e3a-9f5c-3b4a5f6e7d8c',
      slug: 'librairies',
      url: 'https://news.example/articles/librairies',
      title: 'Les librairies indépendantes résistent',
      lead: 'Malgré la concurrence en ligne, le nombre de librairies a augmenté en 2024.',
      contentHtml:
        '<p>Malgré la concurrence en ligne, le nombre de librairies a augmenté en 2024.</p>\n' +
        '<p>Voir <a href="https://www.example.org/rapport">le rapport</a>.</p>',
      contentText:
        'Malgré la concurrence en ligne, le nombre de librairies a augmenté en 2024.\n\nVoir le rapport.',
      tags: ['culture'],
      published: '2025-05-28T16:45:00Z',
      updated: '2025-05-29T09:00:00Z',
      sourceId: 'content/librairies.txt',
    }),
  ].map((item, index) => {
    if (index !== 2) return item;
    // The third item has neither author nor external URL (exactOptionalPropertyTypes: omit them).
    const { author: _author, externalUrl: _externalUrl, publisher: _publisher, ...rest } = item;
    return rest;
  });
}

/** The fixture document with the hostile item first (newest). */
export function createHostileDocument(): FeedDocument {
  return createDocument({ items: [createHostileItem(), ...createItems()], updated: '2025-06-04T09:05:00Z' });
}

export function createDocument(overrides: Partial<FeedDocument> = {}): FeedDocument {
  return {
    site: createSite(),
    items: createItems(),
    updated: '2025-06-03T12:30:00Z',
    ...overrides,
  };
}

/** Every string a renderer must survive. */
export const HOSTILE_TEXT =
  'A\u0000B\u0001C\u0008\u000B\u000C\u001F & <b>x</b> "q" \'s\' ]]> et ]]> encore ' +
  '😀 \u200Fمرحبا\u200E \uD800 \uDFFF \uFFFE\uFFFF \u0085\u009F fin\tok\r\n';

export function createHostileItem(): FeedItem {
  return createItem({
    id: 'urn:uuid:3e0a6f4b-8d5c-4f4b-a06d-4c5b6a7f8e9d',
    title: `Titre ${HOSTILE_TEXT}`,
    lead: `Chapô ${HOSTILE_TEXT}`,
    contentHtml: `<p>Corps ${HOSTILE_TEXT.replaceAll('<b>', '').replaceAll('</b>', '')}</p><p>]]></p><p>]]]]></p>`,
    contentText: `Corps ${HOSTILE_TEXT}`,
    author: `Auteur ${HOSTILE_TEXT}`,
    tags: [`tag ${HOSTILE_TEXT}`, '&<>"\''],
    externalUrl: 'https://journal.example/a?x=1&y=<2>',
    published: '2025-06-04T09:00:00Z',
    updated: '2025-06-04T09:05:00Z',
  });
}
