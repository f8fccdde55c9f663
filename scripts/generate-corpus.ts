/**
 * Synthetic corpus generator for the benchmarks: (seed, count) → `count` news articles in French
 * and English, written under `<dir>/<source>/<index>.<ext>` the way content/ is laid out (one
 * top-level folder per source, so kiosque learns each source's chrome from its siblings).
 *
 * Each article is realistic enough to exercise the cleaner: a title, a lead, 4–11 paragraphs
 * (quotes, figures, place names, the odd sub-heading) wrapped in the source's chrome — head
 * lines (site name, breadcrumb, "Photo non contractuelle"), a byline with a date, share labels,
 * and tail lines (related articles, comment prompts, copyright). 70 % plain text, 20 % Markdown
 * with front matter, 10 % HTML pages with navigation and footer.
 *
 * Deterministic: article i depends only on (seed, i), never on `count`, so the corpus of 1,000
 * is a prefix of the corpus of 10,000 and a growth series compares like with like.
 * `changeArticle` rewrites one article's last paragraph (a new revision) for incremental builds.
 *
 * Usage:
 *   node --import tsx scripts/generate-corpus.ts --count 1000 --dir /tmp/corpus [--seed 42]
 *   node --import tsx scripts/generate-corpus.ts --count 1000 --dir /tmp/corpus --change [INDEX] [--revision R]
 *
 * Must not: read the clock or Math.random (output must be byte-identical for a given seed).
 * Tunables: SOURCES (the sites, their language, format and chrome), the vocabularies below.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

export type CorpusLanguage = 'fr' | 'en';
export type CorpusFormat = 'txt' | 'md' | 'html';

interface SourceSpec {
  readonly slug: string;
  readonly name: string;
  readonly language: CorpusLanguage;
  readonly format: CorpusFormat;
}

/**
 * 24 sites, 14 French and 10 English (the seed content is French). A site publishes in one
 * format, as real scrapes do: 17 text, 5 Markdown, 2 HTML sites ≈ 70/20/10 %.
 */
const SOURCES: readonly SourceSpec[] = [
  { slug: 'quotidien-centre', name: 'Le Quotidien du Centre', language: 'fr', format: 'txt' },
  { slug: 'gazette-ouest', name: "La Gazette de l'Ouest", language: 'fr', format: 'txt' },
  { slug: 'morning-ledger', name: 'The Morning Ledger', language: 'en', format: 'txt' },
  { slug: 'echo-alpes', name: 'L’Écho des Alpes', language: 'fr', format: 'md' },
  { slug: 'riverside-post', name: 'Riverside Post', language: 'en', format: 'txt' },
  { slug: 'depeche-sud', name: 'La Dépêche du Sud', language: 'fr', format: 'txt' },
  { slug: 'courrier-nord', name: 'Le Courrier du Nord', language: 'fr', format: 'html' },
  { slug: 'harbour-times', name: 'Harbour Times', language: 'en', format: 'md' },
  { slug: 'republicain-est', name: 'Le Républicain de l’Est', language: 'fr', format: 'txt' },
  { slug: 'veilleur', name: 'Le Veilleur', language: 'fr', format: 'txt' },
  { slug: 'city-wire', name: 'City Wire', language: 'en', format: 'txt' },
  { slug: 'nouvelles-du-jour', name: 'Nouvelles du jour', language: 'fr', format: 'md' },
  { slug: 'county-herald', name: 'County Herald', language: 'en', format: 'html' },
  { slug: 'indiscret', name: 'L’Indiscret', language: 'fr', format: 'txt' },
  { slug: 'tribune-libre', name: 'Tribune libre', language: 'fr', format: 'txt' },
  { slug: 'daily-beacon', name: 'The Daily Beacon', language: 'en', format: 'txt' },
  { slug: 'petit-matin', name: 'Le Petit Matin', language: 'fr', format: 'md' },
  { slug: 'metro-review', name: 'Metro Review', language: 'en', format: 'txt' },
  { slug: 'vigie', name: 'La Vigie', language: 'fr', format: 'txt' },
  { slug: 'observateur-rural', name: 'L’Observateur rural', language: 'fr', format: 'txt' },
  { slug: 'northern-star', name: 'Northern Star', language: 'en', format: 'md' },
  { slug: 'sentinelle', name: 'La Sentinelle', language: 'fr', format: 'txt' },
  { slug: 'valley-journal', name: 'Valley Journal', language: 'en', format: 'txt' },
  { slug: 'phare', name: 'Le Phare', language: 'fr', format: 'txt' },
];

interface Vocabulary {
  readonly subjects: readonly string[];
  readonly verbs: readonly string[];
  readonly objects: readonly string[];
  readonly complements: readonly string[];
  readonly quotes: readonly string[];
  readonly roles: readonly string[];
  readonly cities: readonly string[];
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
  readonly headings: readonly string[];
  readonly connectors: readonly string[];
  readonly months: readonly string[];
  readonly said: readonly string[];
  readonly sections: readonly string[];
}

const FR: Vocabulary = {
  subjects: [
    'Le gouvernement',
    'La mairie de {city}',
    'Le ministre de l’Économie',
    'Les syndicats',
    'La Commission européenne',
    'Le conseil régional',
    'Une équipe de chercheurs de l’université de {city}',
    'La direction de l’entreprise',
    'Les habitants du quartier',
    'Le président de l’association',
    'La préfecture',
    'Les agriculteurs de la région',
    'L’entraîneur du club de {city}',
    'La SNCF',
    'Les élus de l’opposition',
    'Le tribunal administratif de {city}',
    'L’agence régionale de santé',
    'Le rectorat',
    'Les commerçants du centre-ville',
    'La fédération nationale',
  ],
  verbs: [
    'a annoncé',
    'a présenté',
    'a confirmé',
    'a dénoncé',
    'prévoit',
    'a lancé',
    'envisage',
    'a rejeté',
    'a salué',
    'examine',
    'a suspendu',
    'réclame',
    'a validé',
    'conteste',
  ],
  objects: [
    'un plan d’investissement de {n} millions d’euros',
    'une réforme du système de retraite',
    'la rénovation de {n} logements sociaux',
    'un nouveau calendrier pour les travaux du tramway',
    'la fermeture de l’usine de {city}',
    'une hausse de {p} % des tarifs',
    'un projet de loi sur l’énergie',
    'l’ouverture d’un centre de santé à {city}',
    'la suppression de {n} postes',
    'un accord sur les salaires',
    'la création d’une piste cyclable entre {city} et {city2}',
    'un budget en baisse de {p} %',
    'le recrutement de {n} enseignants',
    'une enquête sur la qualité de l’eau',
    'le report du festival',
    'la vente du stade municipal',
  ],
  complements: [
    'pour les {n} prochaines années',
    'malgré les critiques de l’opposition',
    'selon un communiqué publié {day}',
    'après plusieurs mois de négociations',
    'dans un contexte de forte inflation',
    'd’ici à {year}',
    'à la surprise générale',
    'lors d’une conférence de presse à {city}',
    'sans attendre l’avis du conseil municipal',
    'afin de répondre à la demande des usagers',
    'alors que la saison touristique commence',
    'au terme d’un vote serré',
  ],
  quotes: [
    'Nous devons agir vite, les familles attendent des réponses',
    'Ce n’est qu’un premier pas, mais il est décisif',
    'Les chiffres parlent d’eux-mêmes',
    'Personne ne peut se satisfaire de la situation actuelle',
    'Nous avons été entendus, enfin',
    'Il faudra du temps pour mesurer les effets de cette décision',
    'Nous resterons vigilants jusqu’au bout',
    'C’est une bonne nouvelle pour tout le territoire',
    'On nous avait promis autre chose',
    'La priorité reste la sécurité des habitants',
  ],
  roles: [
    'adjointe au maire',
    'porte-parole du collectif',
    'délégué syndical',
    'économiste à l’université de {city}',
    'directrice de l’hôpital',
    'président de la chambre de commerce',
    'conseillère régionale',
    'chercheur au CNRS',
  ],
  cities: [
    'Lyon',
    'Marseille',
    'Bordeaux',
    'Lille',
    'Nantes',
    'Rennes',
    'Strasbourg',
    'Grenoble',
    'Montpellier',
    'Toulouse',
    'Dijon',
    'Brest',
    'Clermont-Ferrand',
    'Limoges',
    'Angers',
    'Metz',
    'Besançon',
    'Perpignan',
  ],
  firstNames: [
    'Marie',
    'Jean',
    'Sophie',
    'Pierre',
    'Camille',
    'Nicolas',
    'Claire',
    'Julien',
    'Élodie',
    'Thomas',
    'Nadia',
    'Karim',
    'Chloé',
    'Antoine',
    'Inès',
    'Mathieu',
  ],
  lastNames: [
    'Dupont',
    'Martin',
    'Bernard',
    'Lefèvre',
    'Moreau',
    'Garnier',
    'Rousseau',
    'Benali',
    'Fontaine',
    'Chevalier',
    'Mercier',
    'Lambert',
    'Girard',
    'Nguyen',
    'Perrin',
    'Robin',
  ],
  headings: [
    'Un calendrier serré',
    'Des réactions partagées',
    'Ce qui change pour les usagers',
    'Un financement encore flou',
    'La colère des riverains',
    'Et maintenant ?',
    'Des précédents à {city}',
  ],
  connectors: [
    'Par ailleurs,',
    'Dans le même temps,',
    'Selon nos informations,',
    'De son côté,',
    'Pour autant,',
    'En outre,',
    'À terme,',
    'Toutefois,',
  ],
  months: [
    'janvier',
    'février',
    'mars',
    'avril',
    'mai',
    'juin',
    'juillet',
    'août',
    'septembre',
    'octobre',
    'novembre',
    'décembre',
  ],
  said: ['a déclaré', 'a expliqué', 'a affirmé', 'a souligné', 'a rappelé'],
  sections: ['Actualités', 'Économie', 'Société', 'Politique', 'Sports', 'Culture', 'Région'],
};

const EN: Vocabulary = {
  subjects: [
    'The city council',
    'The mayor of {city}',
    'The health department',
    'Local unions',
    'The state legislature',
    'A team of researchers at the University of {city}',
    'The company’s board',
    'Residents of the neighborhood',
    'The school district',
    'Farmers in the region',
    'The head coach in {city}',
    'The transit authority',
    'Opposition lawmakers',
    'A federal judge in {city}',
    'The chamber of commerce',
    'The county commission',
  ],
  verbs: [
    'announced',
    'unveiled',
    'confirmed',
    'criticized',
    'is planning',
    'launched',
    'is considering',
    'rejected',
    'welcomed',
    'is reviewing',
    'suspended',
    'is demanding',
    'approved',
    'challenged',
  ],
  objects: [
    'a {n} million dollar investment plan',
    'an overhaul of the pension system',
    'the renovation of {n} affordable homes',
    'a new schedule for the light rail works',
    'the closure of the {city} plant',
    'a {p} percent rate increase',
    'an energy bill',
    'a new clinic in {city}',
    'the loss of {n} jobs',
    'a wage agreement',
    'a bike lane between {city} and {city2}',
    'a budget cut of {p} percent',
    'the hiring of {n} teachers',
    'an inquiry into water quality',
    'the postponement of the festival',
    'the sale of the municipal stadium',
  ],
  complements: [
    'over the next {n} years',
    'despite criticism from the opposition',
    'according to a statement released {day}',
    'after months of negotiations',
    'amid rising inflation',
    'by {year}',
    'to the surprise of many',
    'at a press conference in {city}',
    'without waiting for the council vote',
    'to meet growing demand',
    'as the tourist season begins',
    'after a narrow vote',
  ],
  quotes: [
    'We have to move quickly, families are waiting for answers',
    'This is only a first step, but it matters',
    'The numbers speak for themselves',
    'Nobody can be satisfied with the current situation',
    'We have finally been heard',
    'It will take time to measure the effects of this decision',
    'We will stay vigilant until the end',
    'This is good news for the whole region',
    'We were promised something else',
    'The safety of residents remains the priority',
  ],
  roles: [
    'deputy mayor',
    'spokesperson for the coalition',
    'union representative',
    'economist at the University of {city}',
    'hospital director',
    'president of the chamber of commerce',
    'county commissioner',
    'senior researcher',
  ],
  cities: [
    'Springfield',
    'Portland',
    'Riverside',
    'Greenville',
    'Fairview',
    'Madison',
    'Salem',
    'Franklin',
    'Clinton',
    'Georgetown',
    'Bristol',
    'Oxford',
    'Ashland',
    'Dover',
  ],
  firstNames: [
    'Emily',
    'James',
    'Olivia',
    'Daniel',
    'Grace',
    'Michael',
    'Hannah',
    'David',
    'Priya',
    'Samuel',
    'Laura',
    'Omar',
  ],
  lastNames: [
    'Smith',
    'Johnson',
    'Brown',
    'Taylor',
    'Anderson',
    'Thomas',
    'Walker',
    'Harris',
    'Patel',
    'Clark',
    'Lewis',
    'Young',
  ],
  headings: [
    'A tight schedule',
    'Mixed reactions',
    'What changes for residents',
    'Funding still unclear',
    'Anger among neighbors',
    'What comes next',
    'Precedents in {city}',
  ],
  connectors: [
    'Meanwhile,',
    'At the same time,',
    'According to people familiar with the matter,',
    'For its part,',
    'Even so,',
    'In addition,',
    'Eventually,',
    'However,',
  ],
  months: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  said: ['said', 'explained', 'stressed', 'told reporters', 'added'],
  sections: ['News', 'Business', 'Local', 'Politics', 'Sports', 'Culture', 'Opinion'],
};

/** Chrome lines per language; each source draws its own fixed subset (seeded by its slug). */
const CHROME = {
  fr: {
    head: [
      'Photo non contractuelle',
      'Temps de lecture : {n} min',
      'Accueil › {section}',
      'Abonnez-vous à notre newsletter',
      'Publicité',
      'Jannah Theme License is not validated, Go to the theme options page to validate the license.',
      'Spread the love',
    ],
    share: ['Partager', 'Facebook', 'Twitter', 'WhatsApp', 'Copier le lien', 'Imprimer'],
    tail: [
      'Articles similaires',
      'Partagez votre avis',
      'Laisser un commentaire',
      'Bouton retour en haut de la page',
      'Blogue et articles',
      'à l’étage',
      'Vous aimerez aussi',
      'Tous droits réservés',
      'Leave A Reply',
      'Social Media Auto Publish Powered By : XYZScripts.com',
    ],
    byline: (name: string, date: string) => `Par ${name}, publié le ${date}`,
    copyright: (site: string, year: number) => `© ${year} ${site} — Tous droits réservés`,
  },
  en: {
    head: [
      'Photo for illustration only',
      '{n} min read',
      'Home › {section}',
      'Sign up for our newsletter',
      'Advertisement',
      'Skip to content',
      'Spread the love',
    ],
    share: ['Share', 'Facebook', 'Twitter', 'Email', 'Copy link', 'Print'],
    tail: [
      'Related articles',
      'Leave a comment',
      'Share your thoughts',
      'Back to top',
      'You may also like',
      'All rights reserved',
      'Leave A Reply',
      'Most read',
    ],
    byline: (name: string, date: string) => `By ${name} | Published ${date}`,
    copyright: (site: string, year: number) => `© ${year} ${site}. All rights reserved.`,
  },
} as const;

/** mulberry32: tiny, fast, good enough for text; seeded per article so articles are independent. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a over a string: turns (seed, label) into a 32-bit PRNG seed. */
function hashSeed(...parts: readonly (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join('\u0000')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

class Picker {
  constructor(
    readonly random: () => number,
    readonly vocab: Vocabulary,
  ) {}

  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  pick<T>(list: readonly T[]): T {
    const value = list[Math.floor(this.random() * list.length)];
    if (value === undefined) throw new Error('pick from an empty list');
    return value;
  }

  person(): string {
    return `${this.pick(this.vocab.firstNames)} ${this.pick(this.vocab.lastNames)}`;
  }

  day(): string {
    return this.vocab === FR
      ? this.pick(['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'])
      : this.pick(['on Monday', 'on Tuesday', 'on Wednesday', 'on Thursday', 'on Friday', 'last week']);
  }

  /** Fills {city}, {city2}, {n}, {p}, {year}, {day}, {section}. */
  fill(template: string): string {
    return template.replace(/\{(city2?|n|p|year|day|section)\}/g, (_, name: string) => {
      switch (name) {
        case 'city':
        case 'city2':
          return this.pick(this.vocab.cities);
        case 'n':
          return String(this.pick([2, 3, 4, 5, 8, 12, 15, 20, 35, 40, 120, 250, 1200]) + this.int(0, 9));
        case 'p':
          return String(this.int(2, 35));
        case 'year':
          return String(this.int(2025, 2032));
        case 'day':
          return this.day();
        default:
          return this.pick(this.vocab.sections);
      }
    });
  }

  /** A headline: subject, verb, object, no quote or connector. */
  headline(): string {
    const v = this.vocab;
    return `${this.fill(this.pick(v.subjects))} ${this.pick(v.verbs)} ${this.fill(this.pick(v.objects))}`;
  }

  sentence(): string {
    const v = this.vocab;
    const kind = this.random();
    if (kind < 0.18) {
      const quote = this.fill(this.pick(v.quotes));
      const who = `${this.person()}, ${this.fill(this.pick(v.roles))}`;
      return v === FR
        ? `« ${quote} », ${this.pick(v.said)} ${who}.`
        : `“${quote},” ${who} ${this.pick(v.said)}.`;
    }
    const core = `${this.fill(this.pick(v.subjects))} ${this.pick(v.verbs)} ${this.fill(this.pick(v.objects))}`;
    const tail = this.random() < 0.7 ? ` ${this.fill(this.pick(v.complements))}` : '';
    const lead = this.random() < 0.25 ? `${this.pick(v.connectors)} ` : '';
    const body = `${core}${tail}`;
    return `${lead}${lead ? body.charAt(0).toLowerCase() + body.slice(1) : body}.`;
  }

  paragraph(): string {
    const count = this.int(2, 5);
    const sentences: string[] = [];
    for (let i = 0; i < count; i++) sentences.push(this.sentence());
    return sentences.join(' ');
  }

  date(index: number): { iso: string; human: string } {
    // Two articles per hour from 2020-01-01: dates increase with the index, like an archive.
    const ms = Date.UTC(2020, 0, 1) + index * 30 * 60 * 1000 + this.int(0, 29) * 60 * 1000;
    const d = new Date(ms);
    const month = this.vocab.months[d.getUTCMonth()] ?? '';
    const hh = String(d.getUTCHours()).padStart(2, '0');
    const mm = String(d.getUTCMinutes()).padStart(2, '0');
    const human =
      this.vocab === FR
        ? `${d.getUTCDate()} ${month} ${d.getUTCFullYear()} à ${hh}h${mm}`
        : `${month} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${hh}:${mm}`;
    return { iso: d.toISOString(), human };
  }
}

export interface GeneratedArticle {
  /** Path relative to the corpus root: `<source>/<index>.<ext>`. */
  readonly path: string;
  readonly source: string;
  readonly language: CorpusLanguage;
  readonly format: CorpusFormat;
  readonly title: string;
  /** The article's own text (title, lead, body paragraphs), without chrome. */
  readonly paragraphs: readonly string[];
  /** The file's full text, chrome included. */
  readonly body: string;
}

interface ArticleParts {
  readonly title: string;
  readonly lead: string;
  readonly author: string;
  readonly date: { iso: string; human: string };
  /** Body: paragraphs and `## ` headings. */
  readonly body: readonly string[];
  readonly tags: readonly string[];
  readonly head: readonly string[];
  readonly share: readonly string[];
  readonly tail: readonly string[];
}

export function sourceOfIndex(index: number): SourceSpec {
  const source = SOURCES[index % SOURCES.length];
  if (!source) throw new Error('no sources');
  return source;
}

/** The chrome a source repeats on every page: fixed per source, so the cleaner can learn it. */
function sourceChrome(seed: number, source: SourceSpec): Pick<ArticleParts, 'head' | 'share' | 'tail'> {
  const p = new Picker(
    createRandom(hashSeed(seed, 'chrome', source.slug)),
    source.language === 'fr' ? FR : EN,
  );
  const chrome = CHROME[source.language];
  const subset = (list: readonly string[], min: number, max: number): string[] => {
    const copy = [...list];
    const out: string[] = [];
    const n = p.int(min, Math.min(max, copy.length));
    while (out.length < n) out.push(copy.splice(p.int(0, copy.length - 1), 1)[0] ?? '');
    return out;
  };
  return {
    head: [source.name, ...subset(chrome.head, 1, 3)],
    share: subset(chrome.share, 2, 4),
    tail: [...subset(chrome.tail, 2, 4), chrome.copyright(source.name, p.int(2021, 2025))],
  };
}

function articleParts(seed: number, index: number, revision: number): ArticleParts {
  const source = sourceOfIndex(index);
  const vocab = source.language === 'fr' ? FR : EN;
  const p = new Picker(createRandom(hashSeed(seed, 'article', index)), vocab);
  const title = p.headline();
  const lead = p.sentence();
  const body: string[] = [];
  const paragraphs = p.int(4, 11);
  for (let i = 0; i < paragraphs; i++) {
    if (i > 1 && p.random() < 0.15) body.push(`## ${p.fill(p.pick(vocab.headings))}`);
    body.push(p.paragraph());
  }
  if (revision > 0) {
    // A new revision rewrites the last paragraph only: the smallest edit an author makes.
    const r = new Picker(createRandom(hashSeed(seed, 'revision', index, revision)), vocab);
    body[body.length - 1] = `${r.paragraph()} (${vocab === FR ? 'mis à jour' : 'updated'} ${revision})`;
  }
  const chrome = sourceChrome(seed, source);
  const head = chrome.head.map((line) => p.fill(line));
  return {
    title,
    lead,
    author: p.person(),
    date: p.date(index),
    body,
    tags: [p.pick(vocab.sections), p.pick(vocab.cities)],
    head,
    share: chrome.share,
    tail: chrome.tail,
  };
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function renderText(parts: ArticleParts, byline: string): string {
  // Like the seeds: head lines stacked on single newlines, paragraphs separated by blank lines.
  const body = parts.body.map((line) => line.replace(/^## /, ''));
  return [
    parts.head.join('\n'),
    parts.title,
    byline,
    parts.lead,
    ...body,
    parts.share.join('\n'),
    ...parts.tail,
  ].join('\n\n');
}

function renderMarkdown(parts: ArticleParts, source: SourceSpec, byline: string): string {
  const yamlString = (s: string): string => JSON.stringify(s);
  return [
    '---',
    `title: ${yamlString(parts.title)}`,
    `date: ${parts.date.iso}`,
    `author: ${yamlString(parts.author)}`,
    `publisher: ${yamlString(source.name)}`,
    `lang: ${source.language}`,
    `tags: [${parts.tags.map(yamlString).join(', ')}]`,
    '---',
    '',
    byline,
    '',
    `**${parts.lead}**`,
    '',
    ...parts.body.flatMap((line) => [line, '']),
    parts.share.join(' · '),
    '',
    ...parts.tail.flatMap((line) => [line, '']),
  ].join('\n');
}

function renderHtml(parts: ArticleParts, source: SourceSpec, byline: string): string {
  const nav = parts.tags
    .concat(source.language === 'fr' ? FR.sections : EN.sections)
    .map((s) => `<li><a href="/rubrique/${encodeURIComponent(s.toLowerCase())}">${escapeHtml(s)}</a></li>`)
    .join('');
  const body = parts.body
    .map((line) =>
      line.startsWith('## ') ? `<h2>${escapeHtml(line.slice(3))}</h2>` : `<p>${escapeHtml(line)}</p>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="${source.language}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(parts.title)} | ${escapeHtml(source.name)}</title>
<meta name="author" content="${escapeHtml(parts.author)}">
<meta property="article:published_time" content="${parts.date.iso}">
<meta property="og:site_name" content="${escapeHtml(source.name)}">
<script>window.dataLayer=window.dataLayer||[];</script>
</head>
<body>
<header class="site-header"><a class="logo" href="/">${escapeHtml(source.name)}</a>
<nav class="menu"><ul>${nav}</ul></nav>
${parts.head.map((h) => `<div class="banner">${escapeHtml(h)}</div>`).join('\n')}
</header>
<main>
<article>
<h1>${escapeHtml(parts.title)}</h1>
<p class="byline">${escapeHtml(byline)}</p>
<p class="lead"><strong>${escapeHtml(parts.lead)}</strong></p>
${body}
</article>
<aside class="share">${parts.share.map((s) => `<a href="#share">${escapeHtml(s)}</a>`).join(' ')}</aside>
</main>
<footer>${parts.tail.map((t) => `<p>${escapeHtml(t)}</p>`).join('\n')}</footer>
</body>
</html>
`;
}

/** Article `index` of the corpus `seed`, at `revision` (0 = as first published). */
export function generateArticle(seed: number, index: number, revision = 0): GeneratedArticle {
  const source = sourceOfIndex(index);
  const parts = articleParts(seed, index, revision);
  const byline = CHROME[source.language].byline(parts.author, parts.date.human);
  const body =
    source.format === 'txt'
      ? renderText(parts, byline)
      : source.format === 'md'
        ? renderMarkdown(parts, source, byline)
        : renderHtml(parts, source, byline);
  return {
    path: `${source.slug}/${String(index).padStart(6, '0')}.${source.format}`,
    source: source.slug,
    language: source.language,
    format: source.format,
    title: parts.title,
    paragraphs: [parts.title, parts.lead, ...parts.body.map((line) => line.replace(/^## /, ''))],
    body,
  };
}

export interface CorpusSummary {
  readonly dir: string;
  readonly count: number;
  readonly bytes: number;
  readonly byFormat: Readonly<Record<CorpusFormat, number>>;
}

/** Writes articles 0..count-1 under `dir`. Files are written a batch at a time to bound memory. */
export async function generateCorpus(options: {
  readonly seed: number;
  readonly count: number;
  readonly dir: string;
}): Promise<CorpusSummary> {
  const { seed, count, dir } = options;
  const byFormat: Record<CorpusFormat, number> = { txt: 0, md: 0, html: 0 };
  let bytes = 0;
  const made = new Set<string>();
  const BATCH = 256;
  for (let start = 0; start < count; start += BATCH) {
    const writes: Promise<void>[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const article = generateArticle(seed, i);
      if (!made.has(article.source)) {
        await mkdir(join(dir, article.source), { recursive: true });
        made.add(article.source);
      }
      const data = Buffer.from(article.body, 'utf8');
      bytes += data.byteLength;
      byFormat[article.format]++;
      writes.push(writeFile(join(dir, article.path), data));
    }
    await Promise.all(writes);
  }
  return { dir, count, bytes, byFormat };
}

/** Rewrites article `index` as its revision `revision` (≥ 1); returns its path relative to `dir`. */
export async function changeArticle(options: {
  readonly seed: number;
  readonly dir: string;
  readonly index: number;
  readonly revision?: number;
}): Promise<string> {
  const article = generateArticle(options.seed, options.index, options.revision ?? 1);
  await writeFile(join(options.dir, article.path), article.body);
  return article.path;
}

export const DEFAULT_SEED = 42;

async function cli(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      count: { type: 'string', default: '1000' },
      dir: { type: 'string' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      change: { type: 'boolean', default: false },
      revision: { type: 'string', default: '1' },
    },
  });
  if (!values.dir) throw new Error('--dir DIR is required');
  const seed = Number(values.seed);
  const count = Number(values.count);
  if (values.change) {
    const index = positionals[0] !== undefined ? Number(positionals[0]) : Math.floor(count / 2);
    const path = await changeArticle({ seed, dir: values.dir, index, revision: Number(values.revision) });
    process.stdout.write(`changed ${path}\n`);
    return;
  }
  const started = performance.now();
  const summary = await generateCorpus({ seed, count, dir: values.dir });
  process.stdout.write(
    `${summary.count} articles, ${(summary.bytes / 1e6).toFixed(1)} MB (${summary.byFormat.txt} txt, ${summary.byFormat.md} md, ${summary.byFormat.html} html) → ${summary.dir} in ${Math.round(performance.now() - started)} ms\n`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  cli(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`generate-corpus: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
