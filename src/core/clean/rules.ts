/**
 * The cleaner's rule book: every threshold and the multilingual chrome lexicon, in one table.
 * Input: nothing (constants). Output: numbers, precompiled regular expressions, and CLEANER_VERSION.
 *
 * Must not: hold behaviour, or name anything specific to one site or one article. Every pattern is
 * a general shape of page chrome (share buttons, newsletter prompts, cookie banners, credits…)
 * written for many languages; a pattern that only matches one known page does not belong here.
 *
 * Bump CLEANER_VERSION whenever a number or a pattern changes: caches keyed on it are invalidated.
 *
 * Inspired by mozilla/readability's REGEXPS table and jusText's classifier defaults
 * (https://corpus.tools/wiki/Justext/Algorithm), adjusted for the short stopword lists of the
 * `stopword` package.
 */

/** Cache-busting version of the cleaning rules. Bump on any change in this file or the cleaner. */
export const CLEANER_VERSION = 'clean-1.7.0';

/** Block classification thresholds (jusText-style). Lengths are in characters of normalised text. */
export const THRESHOLDS = {
  /** Below this a block is "short": it can only stay through its neighbours (context pass). */
  lengthLow: 70,
  /** Extra weight of each Han/kana character in block lengths (each counts 1 + this). */
  denseScriptWeight: 2,
  /** Above this a stopword-dense block is "good" on its own. */
  lengthHigh: 200,
  /**
   * Stopword share (stopword tokens / all tokens) above which a block reads like running prose.
   * Lower than jusText's 0.30/0.32 because the `stopword` lists are short (59 words for Spanish).
   */
  stopwordsLow: 0.15,
  stopwordsHigh: 0.22,
  /** Share of a block's characters inside links above which it is navigation, not prose. */
  maxLinkDensity: 0.3,
  /** …for blocks longer than `lengthHigh`: long prose may cite many sources inline. */
  maxLinkDensityLong: 0.6,
  /**
   * HTML path: a block of the winning container with at most this link density is promoted one
   * class (bad → near-good, near-good → good): the container scoring already vouched for it.
   */
  htmlPlainLinkDensity: 0.1,
  /** Share of tokens that are URLs, e-mail addresses, @handles or #hashtags above which a block is chrome. */
  maxUrlDensity: 0.4,
  /** Blocks longer than this are never matched against the chrome lexicon (prose may quote a phrase). */
  lexiconMaxChars: 400,
  /** How many blocks at the start of the document count as the head zone (title, kicker, chrome). */
  headZoneBlocks: 4,
  /** How many blocks at the end count as the tail zone (credits, bylines, bios, share bars). */
  tailZoneBlocks: 6,
  /** A title line is at most this long; longer first lines are the article's prose. */
  titleMaxChars: 200,
  /** A title line has at least this many characters (one stray word is a section label). */
  titleMinChars: 12,
  /** Derived titles (no title line found) are cut at a word boundary to at most this length. */
  derivedTitleMaxChars: 120,
  /** A sub-heading between paragraphs is at most this long and has at most this many words. */
  headingMaxChars: 120,
  headingMaxWords: 16,
  /** A trailing credit ("AFP", "Reuters", "RT") is at most this long. */
  creditMaxChars: 40,
  /** Repeated blocks across one source are learned only when at most this long (chrome is short). */
  repeatedBlockMaxChars: 200,
  /** A lone author name (before a bio) has at most this many words. */
  authorNameMaxWords: 4,
  /** Text shorter than this is not given to the language detector (it guesses wildly). */
  languageMinChars: 40,
  /**
   * Only this much text is sampled for language detection. franc itself never reads past 2,048
   * characters, and its cost grows with the sample (trigram table + one distance per candidate
   * language), so a smaller sample is the main lever on plain-text cleaning speed. 768 gave the
   * same answer as 2,048 on 3,000 generated articles, the 167 aeb-dev pages and the fixtures.
   */
  languageSampleChars: 768,
} as const;

/**
 * The cheap first language guess (guess-language.ts), tried before franc on the same sample.
 * It answers only when the sample is plainly one language by its function words; otherwise
 * franc decides, so answers never get worse. Calibrated on 3,000 generated articles, the 167
 * aeb-dev pages, the fixtures and the seeds (each as the cleaner's sample and block by block,
 * 40,000 samples) and 16,000 samples that switch language part-way; checked again on two other
 * seeds: the guess answered 99 % of article samples and disagreed with franc on none (below ~30
 * words franc itself is unstable, so short samples always go to franc). Two parts instead of
 * three let 54 of those mixed samples through with franc's other answer.
 * Changing these numbers may change detected languages: bump CLEANER_VERSION.
 */
export const LANGUAGE_GUESS = {
  /** Languages the guess may answer (each checked against franc on the sets above). */
  accepted: ['en', 'fr', 'de', 'es', 'it', 'pt', 'pl'],
  /**
   * Lists counted as rivals: every Latin-script language franc-min knows that the `stopword`
   * package ships a list for. A word in several lists is shared; a word in one is distinctive.
   */
  rivals: [
    'en',
    'fr',
    'de',
    'es',
    'pt',
    'it',
    'nl',
    'pl',
    'id',
    'ms',
    'tr',
    'sv',
    'ro',
    'hu',
    'cs',
    'hr',
    'vi',
    'tl',
    'sw',
    'ha',
    'yo',
    'zu',
    'so',
  ],
  /** At least this many letter tokens in the sample. */
  minTokens: 30,
  /** The winner's function words (shared or not) are at least this share of the tokens… */
  minShare: 0.2,
  /** …its distinctive function words at least this share… */
  minDistinctiveShare: 0.04,
  /** …and the runner-up has at most this share of the winner's distinctive hits. */
  maxRunnerUpRatio: 0.34,
  /**
   * The winner must lead on function words (shared ones included) in each of this many equal
   * parts of the sample, so a text half in one language and half in another goes to franc.
   */
  parts: 3,
} as const;

/** Where a lexicon entry may fire: anywhere, or only in the head/tail zones (riskier, shorter words). */
export type LexiconZone = 'any' | 'edge';

/** One family of site chrome: what it is, where it may fire, and its precompiled pattern. */
export interface ChromeEntry {
  readonly id: string;
  /** Human reason recorded in `removed`. */
  readonly reason: string;
  readonly zone: LexiconZone;
  /** The block (normalised: trimmed, single spaces, straight apostrophes) must match this. */
  readonly pattern: RegExp;
  /** Longer blocks are never matched by this entry. */
  readonly maxChars: number;
  /**
   * Cheap pre-check for entries that scan long blocks: the block must contain one of these
   * fragments before the full pattern runs (keeps cleaning fast on prose).
   */
  readonly hint?: RegExp;
}

/** Optional decoration around a chrome phrase: arrows, bullets, counts, colons. */
const D = String.raw`[\s:·•|>»«›‹→←↑▲\-–—()\[\]0-9!.…]*`;
/**
 * `\b` in JavaScript is ASCII-only even with the `u` flag ("подпишитесь\b" never matches), so
 * every pattern here is compiled through `ure`, which turns `\b` into a Unicode word boundary:
 * before a word (the source continues with a letter or a group) it only looks behind, after a
 * word it only looks ahead — one cheap assertion instead of an alternation of two.
 */
const WORD_START = String.raw`(?<![\p{L}\p{N}_])`;
const WORD_END = String.raw`(?![\p{L}\p{N}_])`;
const ure = (source: string, flags = 'iu'): RegExp =>
  new RegExp(
    source.replace(/\\b([\p{L}([])?/gu, (_m, next: string | undefined) =>
      next ? WORD_START + next : WORD_END,
    ),
    flags,
  );

/**
 * Wrap alternatives as a whole-block match, allowing decoration on both sides. Lexicon patterns
 * (and hints) are written in lower case and compiled without the `i` flag: `matchChrome` tests
 * the lower-cased block. Case-insensitive `\p{L}` classes cost V8 2.5 times as much to compile
 * (the lexicon: 30 ms against 12 ms, paid by every fresh process that cleans an article), for
 * the same matches on lower-cased text. A test holds the lexicon to lower case.
 */
const whole = (alternatives: string): RegExp => ure(`^${D}(?:${alternatives})${D}$`, 'u');

/**
 * The chrome lexicon. Each entry is a general shape, several languages per entry
 * (en, fr, de, es, it, pt, pl, ru, plus ko/ja where the web commonly uses them).
 * Order matters only for the reason reported: the first matching entry wins.
 */
export const CHROME_LEXICON: readonly ChromeEntry[] = [
  {
    // Share bars and their WordPress-plugin captions ("Spread the love", "Partager sur Facebook").
    id: 'share',
    reason: 'share buttons caption',
    zone: 'any',
    maxChars: 80,
    pattern: whole(
      [
        String.raw`spread the love|share( this| the)?( article| post| story| page)?( on \p{L}+)?|tweet( this)?|email this|print( this)?( article| page)?`,
        String.raw`partager?( cet article| l'article| sur \p{L}+)?|partagez( cet article| sur \p{L}+)?|imprimer( l'article)?`,
        String.raw`teilen|(diesen )?artikel teilen|auf \p{L}+ teilen|drucken`,
        String.raw`compartir|comparte( este artículo| en \p{L}+)?|imprimir`,
        String.raw`condividi( questo articolo| su \p{L}+)?|stampa`,
        String.raw`compartilh(e|ar)( este artigo| no \p{L}+)?|partilh(e|ar)`,
        String.raw`udostępnij( artykuł| na \p{L}+)?|podziel się|drukuj`,
        String.raw`поделиться( в \p{L}+)?|распечатать`,
        String.raw`공유하기|공유|シェアする|シェア|共有する`,
      ].join('|'),
    ),
  },
  {
    // Social follow prompts.
    id: 'follow',
    hint: /follow|suiv|folg|sígu|segu|sig|obserw|подпи|след|присоед|join|retrouv|rejoign|úne|팔로우|フォロー/u,
    reason: 'social "follow us" prompt',
    zone: 'any',
    maxChars: 120,
    pattern: ure(
      [
        String.raw`^${D}(follow us|suivez[- ]nous|folgen sie uns|folge uns|síguenos|seguici|siga[- ]nos|sigam[- ]nos|obserwuj nas|подписывайтесь на нас|следите за нами|присоединяйтесь к нам|팔로우|フォローする)\b.{0,80}$`,
        String.raw`^${D}(join us on|retrouvez[- ]nous sur|rejoignez[- ]nous sur|únete a nosotros en)\b.{0,60}$`,
      ].join('|'),
      'u',
    ),
  },
  {
    // Newsletter and subscription prompts.
    id: 'subscribe',
    hint: /subscri|sign|get our|join|abonn|inscri|recev|suscr|recibe|iscriv|assin|subscrev|zapisz|subskry|zaprenum|подпи|оформ|구독|購読|登録/u,
    reason: 'newsletter / subscription prompt',
    zone: 'any',
    maxChars: 160,
    pattern: ure(
      [
        String.raw`^${D}(subscribe|sign up|get our|join our)\b.{0,60}\b(newsletter|updates|channel|feed|today|now)\b.{0,40}$`,
        String.raw`^${D}(subscribe( now| today)?|newsletter|sign up)${D}$`,
        String.raw`^${D}(abonnez[- ]vous|inscrivez[- ]vous|recevez)\b.{0,80}$`,
        String.raw`^${D}(jetzt )?(abonnieren|newsletter abonnieren|zum newsletter anmelden)\b.{0,60}$`,
        String.raw`^${D}(suscríbete|suscribirse|recibe nuestro boletín)\b.{0,80}$`,
        String.raw`^${D}(iscriviti|abbonati)\b.{0,80}$`,
        String.raw`^${D}(assine|inscreva[- ]se|subscreva)\b.{0,80}$`,
        String.raw`^${D}(zapisz się|subskrybuj|zaprenumeruj)\b.{0,80}$`,
        String.raw`^${D}(подпишитесь|подписаться|оформить подписку)\b.{0,80}$`,
        String.raw`^${D}(구독하기|구독|購読する|登録する)${D}$`,
      ].join('|'),
      'u',
    ),
  },
  {
    // Comment sections and their calls to action.
    id: 'comments',
    reason: 'comment section prompt',
    zone: 'any',
    maxChars: 80,
    pattern: whole(
      [
        String.raw`leave a (reply|comment)|add (a |your )?comment|post a comment|(no |\d+ )?comments?|join the (discussion|conversation)|what do you think\??`,
        String.raw`laisse[rz]? (un |votre )?commentaire|ajouter un commentaire|(partagez|donnez|dites)[- ]nous votre avis|(partagez|donnez) votre (avis|opinion)|commentaires?|réagir|réagissez`,
        String.raw`kommentar(e)?( schreiben| hinzufügen)?|hinterlasse(n sie)? einen kommentar|ihre meinung`,
        String.raw`deja (un|tu) comentario|comentarios?|añadir comentario|deja tu opinión`,
        String.raw`lascia un commento|commenti|commenta|aggiungi un commento`,
        String.raw`deixe (um|seu) comentário|comentários?|comente|deixe sua opinião`,
        String.raw`zostaw komentarz|dodaj komentarz|komentarze?|skomentuj`,
        String.raw`оставить комментарий|оставьте комментарий|комментарии|комментировать`,
        String.raw`댓글( 쓰기| 달기)?|コメントする|コメント`,
      ].join('|'),
    ),
  },
  {
    // "Related articles" rails and read-also teasers.
    id: 'related',
    reason: 'related-articles rail heading',
    zone: 'any',
    maxChars: 80,
    pattern: whole(
      [
        String.raw`related( articles| posts| stories| news| content)?|you (may|might) also like|read (also|more|next)|see also|more (on this|from|stories)\b.{0,30}|recommended( for you)?|most (read|popular)|trending( now)?`,
        String.raw`articles? (similaires|connexes|liés|recommandés)|(à )?lire aussi|voir aussi|sur le (même|meme) sujet|dans la même rubrique|les plus lus|à découvrir( aussi)?|vous aimerez aussi`,
        String.raw`ähnliche (artikel|beiträge)|(das )?könnte (sie|dich) auch interessieren|mehr zum thema|lesen sie auch|auch interessant|meistgelesen`,
        String.raw`(artículos|noticias) relacionad[oa]s|te puede interesar|lee también|lo más leído|también te puede interesar`,
        String.raw`articoli correlati|leggi anche|potrebbe interessarti|i più letti|ti potrebbe interessare`,
        String.raw`(artigos|notícias) relacionad[oa]s|leia também|veja também|mais lidas|você também pode gostar`,
        String.raw`podobne artykuły|powiązane artykuły|czytaj (też|także|również)|zobacz (też|także|również)|najczęściej czytane`,
        String.raw`похожие (статьи|новости|материалы)|читайте также|смотрите также|по теме|другие новости|самое читаемое`,
        String.raw`관련 ?기사|추천 기사|関連記事|おすすめ記事|あわせて読みたい`,
      ].join('|'),
    ),
  },
  {
    // Previous / next article navigation.
    id: 'pager',
    reason: 'previous/next article navigation',
    zone: 'any',
    maxChars: 60,
    pattern: whole(
      [
        String.raw`(next|previous|prev|older|newer) (article|post|story)|(article|post) (suivant|précédent)|(nächster|vorheriger) (artikel|beitrag)`,
        String.raw`(artículo|noticia) (siguiente|anterior)|(articolo|post) (successivo|precedente)|(próximo|anterior) (artigo|post)|artigo anterior`,
        String.raw`(następny|poprzedni) (artykuł|wpis)|(следующая|предыдущая) (статья|новость)|(다음|이전) 기사|(次|前)の記事`,
      ].join('|'),
    ),
  },
  {
    // "Back to top" links, including machine-translated ones ("upstairs" for Russian «Наверх»).
    id: 'back-to-top',
    reason: '"back to top" link',
    zone: 'any',
    maxChars: 60,
    pattern: whole(
      [
        String.raw`(button |bouton )?(back|return|go|scroll) to (the )?top( of (the )?page)?|top of page|upstairs`,
        String.raw`(bouton )?retour (en haut|vers le haut)( de (la )?page)?|haut de (la )?page|remonter|en haut|à l'étage`,
        String.raw`(zurück )?nach oben|seitenanfang|volver arriba|ir arriba|subir|torna (su|all'inizio)|voltar ao topo|topo da página`,
        String.raw`do góry|powrót na górę|na górę|наверх|вверх|맨 ?위로|トップへ戻る|ページトップ(へ)?`,
      ].join('|'),
    ),
  },
  {
    // Cookie banners and consent prompts; may be a whole sentence, so not anchored at both ends.
    id: 'cookies',
    hint: /cookie|куки/u,
    reason: 'cookie / consent banner',
    zone: 'any',
    maxChars: 400,
    pattern: ure(
      [
        String.raw`\b(we|this (site|website)) uses? cookies\b|\baccept (all )?cookies\b|\bcookie (policy|settings|preferences)\b`,
        String.raw`\b(ce site|nous) utilis(e|ons) des cookies\b|\baccepter (les|tous les) cookies\b|\bgérer (les )?cookies\b`,
        String.raw`\b(diese (website|seite)|wir) (verwendet|verwenden|nutzt|nutzen) cookies\b|\bcookies akzeptieren\b`,
        String.raw`\b(utilizamos|este sitio (web )?utiliza) cookies\b|\baceptar (las )?cookies\b|\bpolítica de cookies\b`,
        String.raw`\b(questo sito|utilizziamo) (utilizza |usa )?(i )?cookie\b|\baccetta (i )?cookie\b`,
        String.raw`\b(este site|utilizamos) (utiliza |usa )?cookies\b|\baceitar (os )?cookies\b`,
        String.raw`\b(ta strona|serwis) (używa|wykorzystuje) (plików )?cookies?\b|\bpolityka cookies\b`,
        String.raw`(этот сайт|мы) использу(ет|ем) (файлы )?cookie|\bпринять cookie`,
      ].join('|'),
      'u',
    ),
  },
  {
    // Copyright lines and "all rights reserved".
    id: 'copyright',
    hint: /©|\(c\)|copyright|right|droits|rechte|derechos|diritti|direitos|prawa|права|전재|배포|転載|著作/u,
    reason: 'copyright notice',
    zone: 'any',
    maxChars: 250,
    pattern: ure(
      [
        String.raw`^\s*(©|\(c\)|copyright\b)`,
        String.raw`\ball rights reserved\b|\btous droits réservés\b|\balle rechte vorbehalten\b|\btodos los derechos reservados\b`,
        String.raw`\btutti i diritti riservati\b|\btodos os direitos reservados\b|\bwszelkie prawa zastrzeżone\b|все права защищены`,
        String.raw`무단 ?전재|재배포 금지|無断転載|著作権`,
      ].join('|'),
      'u',
    ),
  },
  {
    // CMS theme / plugin licence nags and "powered by" credits.
    id: 'cms-credit',
    hint: /theme|thème|plugin|licen|powered|propuls|bereitgestellt|desarrollado|realizzato|desenvolvido|napędzane|работает|template/u,
    reason: 'theme / plugin credit or licence notice',
    zone: 'any',
    maxChars: 250,
    pattern: ure(
      [
        String.raw`\b(theme|plugin)\b.{0,40}\blicen[cs]e\b.{0,20}\b(is )?(not|isn't) (validated|activated|valid)\b`,
        String.raw`\bgo to the theme options\b|\bactivate your licen[cs]e\b`,
        String.raw`\b(powered by|proudly powered by|propulsé par|bereitgestellt von|desarrollado por|realizzato con|desenvolvido por|napędzane przez|работает на)\s*:?\s*[\p{L}\p{N}._-]+(\s[\p{L}\p{N}._-]+)?\s*\.?$`,
        String.raw`^${D}(\p{L}+ )?(theme|thème|template|wordpress theme) (by|par|von|por|di|przez)\b.{0,40}$`,
      ].join('|'),
      'u',
    ),
  },
  {
    // Reading time badges: "3 minutes", "5 min read", "Temps de lecture : 4 min".
    id: 'reading-time',
    reason: 'reading-time badge',
    zone: 'any',
    maxChars: 60,
    pattern: ure(
      [
        String.raw`^${D}\d{1,3}\s*(min\.?|mins|minutes?|minuten|minutos|minuti|minut[ya]?|мин\.?|минут[ыа]?|분|分)(\s+(read|reading|de lecture|lesezeit|lesen|de lectura|di lettura|de leitura|czytania|чтения|읽기|で読めます))?${D}$`,
        String.raw`^${D}(reading time|read time|temps de lecture|lesezeit|lesedauer|tiempo de lectura|tempo di lettura|tempo de leitura|czas czytania|время чтения|읽는 시간|読了時間)\b.{0,30}$`,
        // "Lecture : 2 min", "Lectura: 4 min", "Lesen: 3 Min.", "Чтение: 5 мин": a reading label then a duration.
        String.raw`^${D}(lecture|lectura|leitura|lettura|lesen|czytanie|чтение|read)\s*:?\s*(~\s*)?\d{1,3}\s*(min\.?|mins|minutes?|minuten|minutos|minuti|minut[ya]?|мин\.?|минут[ыа]?|분|分)${D}$`,
      ].join('|'),
      'u',
    ),
  },
  {
    // Photo credits and captions that describe the picture, not the story.
    id: 'photo-credit',
    reason: 'photo credit or illustration caption',
    zone: 'any',
    maxChars: 140,
    pattern: ure(
      [
        String.raw`^${D}(photo|image|visuel)s? (non contractuelles?|d'illustration|d'archives?|prétexte)${D}$`,
        String.raw`^${D}(illustration|image|photo|bild|foto|imagen|immagine|imagem|zdjęcie|фото|사진|写真)s?( (credits?|crédits?|source))?\s*[:©].{0,100}$`,
        String.raw`^${D}(credits?|crédits?( photo)?|bildquelle|fotos?|fuente de la imagen)\s*:.{0,100}$`,
        String.raw`^${D}(symbolbild|archivbild|archivfoto|imagen de archivo|foto de archivo|foto d'archivio|imagem ilustrativa|imagem de arquivo|zdjęcie ilustracyjne|иллюстративное фото|фото из архива|illustrative (photo|image)|stock (photo|image)|file photo)${D}$`,
        String.raw`^.{0,60}\b(getty images|shutterstock|istock(photo)?|reuters/|afp photo|ap photo|depositphotos|unsplash)\b.{0,40}$`,
      ].join('|'),
      'u',
    ),
  },
  {
    // Breadcrumb trails: "Home > World > Europe".
    id: 'breadcrumb',
    reason: 'breadcrumb trail',
    zone: 'any',
    maxChars: 160,
    pattern: ure(
      String.raw`^\s*(home|accueil|startseite|inicio|início|home page|strona główna|главная|ホーム|トップ|홈|首页|首頁)\s*([>›»/|]\s*[^>›»/|]{1,40}\s*){1,6}$`,
      'u',
    ),
  },
  {
    // Account links.
    id: 'login',
    reason: 'log-in / register link',
    zone: 'any',
    maxChars: 40,
    pattern: whole(
      String.raw`log ?in|sign ?in|log ?out|register|my account|se connecter|connexion|s'inscrire|mon compte|anmelden|einloggen|registrieren|iniciar sesión|registrarse|accedi|registrati|entrar|cadastre-se|zaloguj( się)?|zarejestruj( się)?|войти|регистрация|로그인|회원가입|ログイン|会員登録`,
    ),
  },
  {
    // Disclaimers of aggregator sites that republish machine-translated news.
    id: 'translation-disclaimer',
    hint: /transl|tradu|übersetz|reflect|exprim|refleja|riflett|reflete|odzwierciedla|przetłumacz|перев|отража/u,
    reason: 'automatic-translation / editorial disclaimer',
    zone: 'any',
    maxChars: 500,
    pattern: ure(
      [
        String.raw`\b(translated|translates?|translation) (automatically|by (a )?machine)|\b(automatically|machine)[- ]translated\b|\bautomatic translation\b`,
        String.raw`\b(does|do) not (necessarily )?reflect the (views?|opinions?|position|point of view) of\b`,
        String.raw`\bn'expriment? pas (nécessairement )?(le point de vue|l'opinion|les opinions|la position)\b|\btradui(t|te|ts|tes|sons) .{0,60}automatiquement\b|\btraduction automatique\b|\bautomatiquement .{0,40}tradui`,
        String.raw`\b(automatisch|maschinell) übersetzt\b|\bspiegel[nt] nicht (unbedingt |notwendigerweise )?die (meinung|ansicht)\b`,
        String.raw`\btraducid[oa]s? automáticamente\b|\bno refleja[n]? (necesariamente )?(la opinión|el punto de vista|la posición)\b`,
        String.raw`\btradott[oaie] automaticamente\b|\bnon riflett(e|ono) (necessariamente )?(il punto di vista|l'opinione|le opinioni)\b`,
        String.raw`\btraduzid[oa]s? automaticamente\b|\bnão reflete[m]? (necessariamente )?(a opinião|o ponto de vista|a posição)\b`,
        String.raw`\bprzetłumaczon[ya] automatycznie\b|\bnie (musi )?odzwierciedla(ją)? (poglądów|stanowiska|opinii)\b`,
        String.raw`переведен[аоы]? автоматически|автоматическ(ий|ого) перевод|не (обязательно )?отража(ет|ют) (точку зрения|мнение|позицию)`,
      ].join('|'),
      'u',
    ),
  },
  {
    // Skip links of accessible themes ("Skip to content"): text-only scrapes keep them as the first line.
    id: 'skip-link',
    reason: '"skip to content" link',
    zone: 'any',
    maxChars: 60,
    pattern: whole(
      [
        String.raw`skip (to|navigation)( the)?( main)?( content| navigation| article)?|jump to( main)? (content|navigation)`,
        String.raw`(aller|passer|accéder) (au|directement au) contenu( principal)?|aller à la navigation`,
        String.raw`(direkt )?zum (haupt)?inhalt( springen| wechseln)?|zur navigation( springen)?`,
        String.raw`(saltar|ir) al contenido( principal)?|salta al contenuto( principale)?|(pular|ir) para o conteúdo( principal)?`,
        String.raw`przejdź do (treści|zawartości|głównej treści)|перейти к (основному )?(содержанию|содержимому|контенту)`,
        String.raw`本文へ(移動|スキップ|ジャンプ)?|본문 바로가기`,
      ].join('|'),
    ),
  },
  {
    // Share-bar labels scraped one per line at the page edges: network names and "copy link".
    id: 'social-label',
    reason: 'social network / copy-link label at the page edge',
    zone: 'edge',
    maxChars: 40,
    pattern: whole(
      [
        String.raw`facebook|twitter|x|linkedin|whatsapp|reddit|telegram|pinterest|instagram|youtube|tiktok|threads|bluesky|mastodon|flipboard|pocket|xing|e-?mail|messenger|vk|вконтакте|одноклассники|line|weibo|微博|카카오톡`,
        String.raw`copy( the)? link|copier le lien|link kopieren|copiar (el )?enlace|copia (il )?link|copiar link|kopiuj link|скопировать ссылку|リンクをコピー|링크 복사`,
      ].join('|'),
    ),
  },
  {
    // Site menu titles ("Main menu", "Menu principal"): never a title, whatever the zone.
    id: 'menu-title',
    reason: 'site menu title',
    zone: 'any',
    maxChars: 40,
    pattern: whole(
      String.raw`(main|primary|site) (menu|navigation)|menu principal|navigation principale|hauptmenü|hauptnavigation|menú principal|menu principale|menu główne|главное меню|メインメニュー|주 메뉴`,
    ),
  },
  {
    // Section labels and site-menu words left at the page edges (incl. machine-translated menus:
    // «Новости», «Блоги и статьи» → "nouvelles", "blogue et articles").
    id: 'section-label',
    reason: 'section / menu label at the page edge',
    zone: 'edge',
    maxChars: 40,
    pattern: whole(
      [
        String.raw`news|latest( news)?|breaking( news)?|home|menu|search|blogs?|articles?|blogs? (and|&) articles|opinion|video|videos|photos?|world|politics|top stories`,
        String.raw`nouvelles|actualités?|actu|accueil|rechercher?|blogues?( et articles)?|articles|à la une|en bref|dernières nouvelles|vidéos?`,
        String.raw`nachrichten|aktuelles|aktuell|startseite|suche|blogs? und artikel|meinung`,
        String.raw`noticias|últimas noticias|portada|buscar|blogs? y artículos|opinión`,
        String.raw`notizie|ultime notizie|cerca|blog e articoli|opinioni`,
        String.raw`notícias|últimas notícias|pesquisar|blogs? e artigos|opinião`,
        String.raw`wiadomości|aktualności|szukaj|blogi i artykuły|opinie`,
        String.raw`новости|последние новости|главная|поиск|блоги и статьи|статьи|мнения`,
        String.raw`뉴스|속보|홈|검색|ニュース|ホーム|検索`,
      ].join('|'),
    ),
  },
];

/** A block with no letter or digit at all ("•", ".", "—") carries no content. */
export const NO_TEXT_PATTERN = /^[^\p{L}\p{N}]*$/u;

/** Tokens that are URLs, e-mail addresses, @handles or #hashtags (for URL density). */
export const URLISH_TOKEN_PATTERN =
  /^(?:https?:\/\/\S+|www\.\S+|\S+@\S+\.\S+|@[\p{L}\p{N}_]{2,}|#[\p{L}\p{N}_]{2,})$/u;

/** A block ends like a sentence (period, ?, !, ellipsis, CJK full stop, closing quote after them). */
export const SENTENCE_END_PATTERN = /[.!?…。！？][\s"'»”’)\]]*$/u;

/** A line that must not be a title or a heading: it ends like a clause, not like a headline. */
export const CLAUSE_END_PATTERN = /[.,;:…。，、][\s"'»”’)]*$/u;

/** First letter is upper-case or from a script without case (CJK, Arabic…): heading-like start. */
export const HEADING_START_PATTERN = /^[\s"'«“‘(]*(?:\p{Lu}|\p{Lo}|\p{N})/u;

/**
 * Separators between an article title and the site name in `<title>`-like lines
 * ("Title — Site", "Title | Site", "Title - Site", "Title · Site").
 */
export const TITLE_SUFFIX_SEPARATOR = /\s+(?:[|·•»—–]|-{1,2}|::)\s+/u;

/** A site name: at most this many words, each capitalised, numeric, or a domain. */
export const SITE_NAME_MAX_WORDS = 5;
export const SITE_NAME_WORD_PATTERN =
  /^(?:\p{Lu}[\p{L}\p{N}'’&.-]*|\p{N}+|[\p{L}\p{N}-]+\.[\p{L}]{2,}|&|de|du|des|la|le|of|the|der|die|das|el|il|do|da|del|della|di|dos|das|van|von|y|e|and|und|et)$/u;

/**
 * News agencies and wire services commonly credited at the end of an article.
 * All-caps short credits ("RT", "ANSA") are recognised by shape, so this list only needs
 * the mixed-case names.
 */
export const AGENCY_NAMES: readonly string[] = [
  'Reuters',
  'AFP',
  'AP',
  'Associated Press',
  'Agence France-Presse',
  'dpa',
  'ANSA',
  'EFE',
  'Europa Press',
  'Lusa',
  'Agência Brasil',
  'PAP',
  'TASS',
  'ТАСС',
  'RIA Novosti',
  'РИА Новости',
  'Interfax',
  'Интерфакс',
  'Xinhua',
  'Kyodo',
  'Yonhap',
  'Bloomberg',
  'Belga',
  'APA',
  'ATS',
  'Keystone-SDA',
  'KNA',
  'epd',
  'UPI',
  'CNA',
];

/** Optional prefix before a trailing credit: "Source: AFP", "Quelle: dpa", "(avec AFP)". */
export const CREDIT_PREFIX_PATTERN = ure(
  String.raw`^[\s(]*(?:source|sources|with|avec|quelle|mit|fuente|con|fonte|com|źródło|z|источник|по материалам|출처|出典)(?:\s*:\s*|\s+)`,
);

/** A short all-caps credit ("RT", "AFP", "BBC"), 2–8 letters, at most two words. */
export const ALL_CAPS_CREDIT_PATTERN = /^[\p{Lu}\p{N}][\p{Lu}\p{N}&.-]{1,7}(?:\s[\p{Lu}\p{N}&.-]{2,8})?$/u;

/** Byline prefixes: "By Jane Doe", "Par Jean Dupont", "Von Max Muster", "Автор: …" (case-insensitive). */
export const BYLINE_PREFIX_PATTERN = ure(
  String.raw`^(?:by|written by|par|écrit par|texte\s*:|von|text\s*:|por|escrito por|texto\s*:|di|a cura di|przez|autor(?:ka)?\s*:?|автор\s*:?|текст\s*:|글\s*:|文\s*:)\s*`,
);

/**
 * The name after a byline prefix: capitalised words (particles allowed), optionally followed by
 * a separator and a short role or date ("Jane Doe, in Paris", "Max Muster | 12.03.2024").
 * Case-sensitive on purpose: "By the river, …" is prose, not a byline.
 */
export const BYLINE_NAME_PATTERN =
  /^(\p{Lu}[\p{L}'’.-]*(?:\s+(?:\p{Lu}[\p{L}'’.-]*|de|da|di|du|van|von|der|le|la|y|and|et|und|e|i|и)){0,5})\s*(?:[,|–—-].{0,60})?$/u;

/** "About the author" bio headers in several languages. */
export const AUTHOR_BIO_HEADER_PATTERN = ure(
  String.raw`^(?:about the author|à propos de l'auteur|l'auteur|über den autor|über die autorin|sobre el autor|sobre la autora|l'autore|sull'autore|sobre o autor|o autorze|об авторе|저자 소개|著者について)\b`,
);

/** A bare personal name: 1–4 capitalised words, no digits, no sentence punctuation. */
export const PERSON_NAME_PATTERN = /^\p{Lu}[\p{Ll}'’-]+(?:[\s-]\p{Lu}[\p{Ll}'’.-]*){0,3}$/u;

/** Machine-translation artefact: numbers replaced by the literal token XNUMX. */
export const MACHINE_TRANSLATION_ARTEFACT = /\bXNUMX\b/u;

/** UTF-8 read as Latin-1/Windows-1252: "Ã©", "Ã¨", "â€™", "â€œ", "Ã ", "Â " … */
export const MOJIBAKE_PATTERN =
  /Ã[\u0080-\u00BF©¨ª«®§¹³²¼½¾¢¤¥¦¡]|â€[\u0080-\u00BF™œ˜“”¦¢]|Â[\u00A0-\u00BF]/u;

/**
 * Month names for dateline parsing, lower-case, index = month − 1. Genitive and
 * abbreviated forms where common.
 */
export const MONTH_NAMES: Readonly<Record<string, number>> = buildMonths([
  // en
  'january|jan',
  'february|feb',
  'march|mar',
  'april|apr',
  'may',
  'june|jun',
  'july|jul',
  'august|aug',
  'september|sep|sept',
  'october|oct',
  'november|nov',
  'december|dec',
  // fr
  'janvier|janv',
  'février|fevrier|févr',
  'mars',
  'avril|avr',
  'mai',
  'juin',
  'juillet|juil',
  'août|aout',
  'septembre',
  'octobre',
  'novembre',
  'décembre|decembre|déc',
  // de
  'januar|jänner',
  'februar',
  'märz|maerz',
  'april',
  'mai',
  'juni',
  'juli',
  'august',
  'september',
  'oktober|okt',
  'november',
  'dezember|dez',
  // es
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre|setiembre',
  'octubre',
  'noviembre',
  'diciembre',
  // it
  'gennaio',
  'febbraio',
  'marzo',
  'aprile',
  'maggio',
  'giugno',
  'luglio',
  'agosto',
  'settembre',
  'ottobre',
  'novembre',
  'dicembre',
  // pt
  'janeiro',
  'fevereiro',
  'março|marco',
  'abril',
  'maio',
  'junho',
  'julho',
  'agosto',
  'setembro',
  'outubro',
  'novembro',
  'dezembro',
  // pl (genitive, as in dates)
  'stycznia|styczeń',
  'lutego|luty',
  'marca|marzec',
  'kwietnia|kwiecień',
  'maja|maj',
  'czerwca|czerwiec',
  'lipca|lipiec',
  'sierpnia|sierpień',
  'września|wrzesień',
  'października|październik',
  'listopada|listopad',
  'grudnia|grudzień',
  // ru (genitive, as in dates)
  'января|январь',
  'февраля|февраль',
  'марта|март',
  'апреля|апрель',
  'мая|май',
  'июня|июнь',
  'июля|июль',
  'августа|август',
  'сентября|сентябрь',
  'октября|октябрь',
  'ноября|ноябрь',
  'декабря|декабрь',
]);

/**
 * More languages whose month names (standalone and the genitive of "7 January") are read from
 * `Intl.DateTimeFormat` (intl-months.ts) for datelines, beyond the hand-written table above.
 */
export const INTL_MONTH_LANGUAGES: readonly string[] = [
  'nl',
  'sv',
  'da',
  'nb',
  'fi',
  'cs',
  'sk',
  'sl',
  'hr',
  'hu',
  'ro',
  'tr',
  'uk',
  'bg',
  'el',
  'ca',
  'lt',
  'lv',
  'et',
];

function buildMonths(rows: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  rows.forEach((row, i) => {
    for (const name of row.split('|')) out[name] = (i % 12) + 1;
  });
  return out;
}

/** A short line that is only a date, optionally introduced ("Published", "Publié le", "Stand:"). */
export const DATE_LINE_PREFIX_PATTERN =
  /^(?:published|updated|posted|publié|mis à jour|veröffentlicht|aktualisiert|stand|publicado|actualizado|pubblicato|aggiornato|atualizado|opublikowano|zaktualizowano|опубликовано|обновлено)?\s*(?:on|le|am|el|il|em|dnia|:)?\s*/iu;

/* ───────────────────────────── HTML path (src/core/load/*-html.ts) ─────────────────────────────
 * Readability-style main-content extraction, in the spirit of mozilla/readability's REGEXPS table:
 * drop what never holds prose, score containers by the paragraphs they hold, keep good siblings,
 * then prune widgets inside the winner. The text-path classifier runs on the blocks afterwards. */

/** Elements dropped before scoring: they never hold article prose. */
export const HTML_DROP_TAGS: ReadonlySet<string> = new Set([
  // Code, styling and embedded documents.
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'canvas',
  'math',
  'link',
  'meta',
  // Controls: buttons and inputs caption actions, not content.
  'button',
  'input',
  'select',
  'option',
  'textarea',
  'dialog',
  'menu',
  // Page regions that are chrome by definition (kept only when they wrap the article, see below).
  'nav',
  'aside',
  'footer',
  'header',
  // Pictures with their captions and credits (the page image becomes metadata.image).
  'figure',
  'figcaption',
  'picture',
  'video',
  'audio',
]);

/** Regions dropped by tag unless they wrap the article (some themes put everything in a <header>). */
export const HTML_REGION_TAGS: ReadonlySet<string> = new Set(['nav', 'aside', 'footer', 'header', 'form']);

/** ARIA roles of chrome regions. */
export const HTML_DROP_ROLES: ReadonlySet<string> = new Set([
  'navigation',
  'banner',
  'contentinfo',
  'complementary',
  'search',
  'dialog',
  'alertdialog',
  'menu',
  'menubar',
  'toolbar',
]);

/**
 * class/id hints of chrome that never wraps an article: comment threads, share bars, related
 * rails, newsletter and cookie prompts, bylines and captions. Such an element is dropped before
 * scoring unless it also matches HTML_MAYBE_CONTENT_HINT. Tokens are matched on the separators of
 * class names ("share-bar", "post_related"), so "shared" or "commentary" do not match.
 */
export const HTML_CHROME_HINT =
  /(?:^|[\s_-])(?:breadcrumbs?|combx|comments?|commentlist|comment-list|community|cookie|consent|gdpr|disqus|newsletter|subscribe|subscription|signup|outbrain|taboola|pager|pagination|related|recommend(?:ed|ations)?|more-stories|read-more|readmore|remark|replies|rss|share|sharing|social|shoutbox|skyscraper|sponsor(?:ed)?|promo|tags|tag-list|taglist|author-bio|byline|caption|credit|toolbar|sr-only|visually-hidden|screen-reader-text|skip-link|jump-link|trending|most-popular|agegate|yom-remote)(?:$|[\s_-])/i;

/**
 * class/id hints of page regions that are usually chrome but sometimes wrap the whole page
 * ("Page-ad-margins", "has-sidebar", "paywall", "header-style-2"): dropped only when they hold less
 * prose than HTML_THRESHOLDS.guardParagraphChars, like the region tags.
 */
export const HTML_UNLIKELY_HINT =
  /(?:^|[\s_-])(?:ad|ads|adv|advert|advertisement|ad-slot|banner|footer|header|masthead|menu|navbar|nav|paywall|popup|modal|overlay|sidebar)(?:$|[\s_-])/i;

/** class/id hints that rescue an element from HTML_UNLIKELY_HINT ("article-header" is not chrome to drop blindly). */
export const HTML_MAYBE_CONTENT_HINT = /article|body|column|content|main|shadow|story|entry|post-text|text/i;

/** class/id hints that raise (+) or lower (−) a container's score by HTML_THRESHOLDS.classWeight. */
export const HTML_POSITIVE_HINT =
  /article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story|prose|rich-?text|paragraph/i;
export const HTML_NEGATIVE_HINT =
  /(?:^|[\s_-])(?:ad|ads|hidden|hid|banner|combx|comment|com-|contact|footer|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|widget|nav|menu|social|newsletter|subscribe|author|byline|caption|credit)(?:$|[\s_-])/i;

/** The six heading levels: block tags, and what makes a list item a container (load/html-blocks.ts). */
export const HTML_HEADING_TAGS: readonly string[] = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'];

/** Block-level tags: an element with one of these children is a container, not a paragraph. */
export const HTML_BLOCK_TAGS: ReadonlySet<string> = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'dd',
  'details',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figure',
  'footer',
  'form',
  ...HTML_HEADING_TAGS,
  'header',
  'hr',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'thead',
  'tfoot',
  'tr',
  'td',
  'th',
  'ul',
]);

/** Starting score of a candidate by tag (Readability's _initializeNode): prose wrappers up, lists and headings down. */
export const HTML_TAG_SCORES: Readonly<Record<string, number>> = {
  div: 5,
  article: 8,
  main: 5,
  section: 3,
  pre: 3,
  td: 3,
  blockquote: 3,
  address: -3,
  ol: -3,
  ul: -3,
  dl: -3,
  dd: -3,
  dt: -3,
  li: -3,
  form: -3,
  h1: -5,
  h2: -5,
  h3: -5,
  h4: -5,
  h5: -5,
  h6: -5,
  th: -5,
};

export const HTML_THRESHOLDS = {
  /** A run of paragraph text shorter than this does not vote for its containers. */
  minParagraphChars: 25,
  /** Each paragraph votes 1 + commas + one point per this many characters, at most `maxLengthPoints`. */
  charsPerPoint: 100,
  maxLengthPoints: 3,
  /** How many ancestors a paragraph votes for (parent full, grandparent ½, then 1/(3·level)). */
  ancestorLevels: 5,
  /** Score added or removed by a positive/negative class or id hint. */
  classWeight: 25,
  /** Siblings of the winner join it when their score reaches this share of the winner's… */
  siblingScoreShare: 0.2,
  /** …and at least this absolute score. */
  siblingMinScore: 10,
  /** A sibling paragraph joins when longer than this with link density under `siblingMaxLinkDensity`. */
  siblingParagraphChars: 80,
  siblingMaxLinkDensity: 0.25,
  /** Climb to an ancestor when at least this many of the top candidates share it… */
  sharedAncestorCandidates: 3,
  /** …among this many top candidates, each scoring at least this share of the winner. */
  topCandidates: 5,
  sharedAncestorShare: 0.75,
  /** A chrome region (header, form, class hint) that holds this much paragraph text wraps the article: keep it. */
  guardParagraphChars: 600,
  /** Inside the winner, a widget (div, ul, table…) with fewer commas than this is checked for link density. */
  widgetMaxCommas: 10,
  /** Widgets above this link density are dropped (class hint neutral or negative)… */
  widgetMaxLinkDensity: 0.33,
  /** …and lists of links whatever their class. */
  widgetListMaxLinkDensity: 0.5,
} as const;

/* ───────────────────────────── Quality gate (quality-gate.ts) ─────────────────────────────
 * An item whose cleaning kept too little is flagged with a warning (and listed in the build
 * status); one that kept nothing is held back from the feeds (pipeline policy, see regenerate.ts). */
export const QUALITY_GATE = {
  /** Fewer words than this in the kept body: `cleaning-kept-too-little` (a brief still passes). */
  minKeptWords: 25,
  /** Less than this share of the candidate text kept (and the source was not tiny): flagged too. */
  minKeptShare: 0.2,
  /** The share rule applies only to sources with at least this many words (tiny notes are all signal). */
  shareMinSourceWords: 150,
} as const;

/** Warning codes of the quality gate (stable: the pipeline and /healthz key on them). */
export const KEPT_NOTHING = 'cleaning-kept-nothing';
export const KEPT_TOO_LITTLE = 'cleaning-kept-too-little';

/* ───────────────────────────── Images and media (judge-media.ts, html-media.ts) ─────────────────
 * An image, video or audio element found inside the article area is kept when it sits next to
 * the article's own prose (or its title), and is neither page chrome nor a tracking pixel. These
 * rules never change which text blocks are kept: media are judged after the text, on its result. */

export const MEDIA_THRESHOLDS = {
  /** An image whose declared width or height is at most this many pixels is a tracking pixel. */
  pixelMaxSide: 2,
  /**
   * An image whose declared width and height are both at most this is an icon, an avatar or a
   * slideshow's thumbnail strip, not an illustration (article images are rarely this small).
   */
  iconMaxSide: 120,
  /** Most media kept per article (a gallery of hundreds is a listing, not illustration). */
  maxPerArticle: 30,
  /**
   * An alt text of more than this many words describes the picture ("FILE PHOTO: The WeWork logo
   * is displayed outside…"), so a chrome word in it names what the photo shows, not the image's
   * role; chrome images carry labels ("print header logo", "Icon Facebook", "MoreBikes").
   */
  altLabelMaxWords: 4,
} as const;

/**
 * Class, id, alt or file-name words of page chrome around an image: logos, avatars and author
 * photos, share and social icons, emoji and sprites, ads and sponsors, related-article teasers.
 * Matched on the image's own class/id, its alt when a label (altLabelMaxWords), its file path
 * without hash tokens (MEDIA_HASH_TOKEN), and its ancestors inside the content except those that
 * hold the article's main prose (html-media.ts MediaScope).
 */
export const MEDIA_CHROME_HINT =
  /(?:^|[\s_\-/.])(?:logo|logos|brand|avatar|avatars|gravatar|author|authors|autor|auteur|byline|profile|profil|share|sharing|social|socials|icon|icons|emoji|emoticon|smiley|sprite|badge|button|btn|ads?|advert|advertisement|anzeige|publicit[eé]|sponsor|sponsored|promo|related|teaser|recommend|recommended|outbrain|taboola|more-stories|newsletter|comment|comments|widget|rating|stars?|flag|spinner|loader|placeholder|spacer|blank)(?=$|[\s_\-/.0-9])/i;

/**
 * Hash-like parts of an image address: UUIDs and hex digests of 12 or more characters. They are
 * not words, so MEDIA_CHROME_HINT is not matched inside them (a UUID segment "-ad41-" is no ad).
 */
export const MEDIA_HASH_TOKEN =
  /[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|(?<![0-9a-z])[0-9a-f]{12,}(?![0-9a-z])/gi;

/** Addresses of tracking beacons, analytics pixels and ad servers (host or path shapes, never one site). */
export const MEDIA_BEACON_PATTERN =
  /(?:adserver|adsystem|\/adserve|\/ads?\/|\/delivery\/(?:avw|lg|ck)\.php|[?&]zoneid=|\/banners?\/|doubleclick\.net|google-analytics\.com|googletagmanager\.com|googlesyndication\.com|facebook\.com\/tr|scorecardresearch\.com|quantserve\.com|chartbeat\.net|pixel\.wp\.com|stats\.wp\.com|bat\.bing\.com|mc\.yandex|analytics\.|\/(?:pixel|beacon|tracking|tracker|track|count|counter|collect|impression|1x1|spacer|blank|transparent|clear)(?:[._\-/?]|\.gif|$))/i;

/** Links around an image that show the image itself (a larger version), not another page. */
export const MEDIA_FILE_LINK_PATTERN = /\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)(?:[?#]|$)/i;

/**
 * Removal rules the media judge may name (stable: `--explain` and tests key on them). A kept
 * medium is reported with rule `media` in the explain trace.
 */
export const MEDIA_RULES = {
  unsafe: 'media-unsafe-url',
  pixel: 'media-tracking-pixel',
  chrome: 'media-chrome',
  icon: 'media-icon',
  teaser: 'media-linked-teaser',
  outside: 'media-outside-content',
  duplicate: 'media-duplicate',
  tooMany: 'media-too-many',
} as const;
/* ───────────────────────────── Head/tail zones (text-zones.ts) ─────────────────────────────
 * Plain-text scrapes open with skip links, menus and breadcrumbs and close with share labels and
 * teaser rails; these rules place the zones around what is left and judge runs, not lines. */
export const TEXT_ZONES = {
  /**
   * Lexicon entries whose block opens a teaser rail: in the tail zone, what follows such a heading
   * is the rail's teasers (headlines and their summaries), not the article.
   */
  railHeadingIds: ['related'] as readonly string[],
  /** A run of two or more of these entries in the tail zone is a share bar: the article ended above it. */
  shareBarIds: ['share', 'social-label', 'follow'] as readonly string[],
  /** …unless more than this many prose-length blocks follow it (then the heading was mid-article). */
  railMaxProseBlocks: 2,
  /**
   * A run of at least this many consecutive short blocks that each end like a sentence and hold at
   * least `sentenceRunMinWords` words is a list of points (steps, tips), kept after prose even when
   * its lines carry few function words; menu and share labels never end like sentences.
   */
  sentenceRunMin: 2,
  sentenceRunMinWords: 3,
  /**
   * A run of at least this many consecutive `Label : value` lines (LABEL_VALUE_LINE) is a grid: a
   * recipe's times, a match sheet, a technical spec. It is judged as one block: kept whole when it
   * directly follows the article's prose (nothing removed in between), like a table in HTML.
   */
  labelValueRunMin: 2,
  /**
   * …and at least this share of its values hold a number (times, quantities, scores, sizes,
   * prices): a grid carries data. Taxonomy and share lines ("Tags : budget, écoles", "Catégorie :
   * Politique", "Partager : Facebook, X") are label/value shaped too, but carry words; a run with
   * a label the chrome lexicon knows ("Partager", "Suivez-nous") is never a grid either.
   */
  labelValueMinNumericShare: 0.5,
  /**
   * A grid of words (a product's "Matière : laine / Couleur : écru / Entretien : à la main", a
   * plant's or a wine's sheet) carries no number. It is a grid when at least this many lines run
   * before any page label (LABEL_VALUE_PAGE_LABEL), no two lines share a label, and every value
   * has at most `labelValueWordMaxWords` words. Why three: taxonomy and credit pairs come in ones
   * and twos ("Catégorie : Plats", "Tags : …") and carry page labels anyway; a sheet names several
   * properties of one thing. Why short values: a property's value is a name, not a sentence.
   */
  labelValueWordRunMin: 3,
  labelValueWordMaxWords: 4,
} as const;

/**
 * One line of a label/value grid: a label of one to four words (any script, no digits right
 * before the colon, so "10:30" is no label), a colon followed by a space (or a full-width colon),
 * then a short value. "Préparation : 20 min", "Estadio: Riazor", "Akku: 625 Wh", "調理時間：20分".
 * A URL ("https://…") is no label: its colon is followed by "//".
 */
export const LABEL_VALUE_LINE =
  /^[\p{L}][\p{L}\p{M}'’.()/-]*(?:[ \u00A0][\p{L}\p{M}\p{N}'’.()/-]+){0,3}[ \u00A0]?(?::[ \u00A0]+|：[ \u00A0]*)(?!\/\/)\S.{0,59}$/u;
/** …and a label no longer than this (characters). */
export const LABEL_VALUE_MAX_LABEL_CHARS = 30;
/**
 * Labels about the page rather than its subject: taxonomy (tags, categories, topics, keywords,
 * sections) and credits (author, photos, source), in the lexicon's languages. A word grid ends
 * before the first of them (TEXT_ZONES.labelValueWordRunMin): "Catégorie : Économie" and "Tags :
 * laine, Aveyron" after a product sheet are the page's, not the product's.
 */
export const LABEL_VALUE_PAGE_LABEL =
  /^(?:tags?|étiquettes?|mots?[- ]cl[ée]s?|cat[ée]gor(?:y|ies?|ía|ías|ia)|rubriques?|th[èe]mes?|sujets?|dossiers?|class[ée] dans|publi[ée] dans|filed under|topics?|keywords?|sections?|schlagw[öo]rter|schlagworte|kategorien?|themen?|rubriken?|ressort|etiquetas?|temas?|palabras clave|secci[óo]n|tagi|kategori[ae]|tematy?|s[łl]owa kluczowe|dzia[łl]|теги|метки|рубрик[аи]|категори[яи]|темы?|タグ|カテゴリー?|キーワード|标签|分类|auteurs?|authors?|autor(?:es|en|zy)?|par|by|von|por|photos?|fotos?|crédits?|credits?|source|sources|quelle|fuente|źródło|источник|автор)$/iu;

/* ───────────────────────────── Main-prose guard (main-prose-guard.ts) ─────────────────────────────
 * No single rule may delete the element that holds most of the page's prose: a class-name hint
 * ("widget", "share", "community", "sidebar" modifiers), a link-density rule, or a widget check
 * that would remove it is overruled. */
export const MAIN_PROSE_GUARD = {
  /** Share of the page's (or the content's) non-link text above which an element is the main prose. */
  share: 0.5,
  /** …and at least this many characters of it (a short page's menu is not its main prose). */
  minChars: 500,
  /**
   * Hints that no guard overrules: comment threads and consent overlays can hold most of a page's
   * text and are never the article.
   */
  neverHint:
    /(?:^|[\s_-])(?:comments?|commentlist|comment-list|disqus|replies|cookie|consent|gdpr|cmp|paywall|modal|popup|overlay)(?:$|[\s_-])/i,
} as const;

/* ───────────────────────────── Winner growth (grow-winner.ts) ─────────────────────────────
 * The lead (standfirst) and the headline often sit just outside the container that wins the
 * scoring: in a sibling, or in the article's own <header>. These join the winner. */

/** class/id hints of a lead / standfirst in several languages' CMS vocabularies. */
export const HTML_LEAD_HINT =
  /(?:^|[\s_-])(?:chapo|chapeau|chapô|intro|introduction|lead|lede|leadin|perex|teaser|standfirst|summary|excerpt|deck|dek|subtitle|subheadline|sub-headline|sapo|entradilla|entradeta|vorspann|anriss|zajawka|lid|abstract|description)(?:$|[\s_-])/i;

export const WINNER_GROWTH = {
  /** A lead or heading sibling joins the winner when its link density is below this. */
  maxLinkDensity: 0.25,
  /** …and it is at most this long (a lead, not a second article). */
  maxChars: 1200,
  /** Headings that may join: the headline and section headings. */
  headingTags: ['h1', 'h2', 'h3'] as readonly string[],
  /**
   * A figure (image + caption) next to the winner or to its joined headline/lead joins it when its
   * caption is at most this long (a caption, not a teaser's summary) and its image is not a link;
   * the caption's link density must stay below `maxLinkDensity`. Two figures side by side are a
   * rail or a gallery and stay out.
   */
  figureMaxCaptionChars: 400,
} as const;

/**
 * class/id hints of an image caption in several languages' CMS vocabularies (WordPress
 * `wp-caption`/`wp-caption-text`, French `légende`, German `Bildunterschrift`, Spanish `leyenda`,
 * Italian `didascalia`, Polish `podpis`…). A wrapper holding one image and such a caption is read
 * as a figure: its image is a medium with that caption, never loose text.
 */
export const HTML_CAPTION_HINT =
  /(?:^|[\s_-])(?:caption|captions|figcaption|legende|légende|leyenda|legenda|didascalia|bildunterschrift|podpis|opis-zdjecia|photo-caption|image-caption|img-caption)(?:$|[\s_-])/i;

/**
 * class/id hints of consent overlays: never candidates, dropped before scoring even when another
 * hint ("…-content", "…-body") would rescue them and whatever text they hold.
 */
export const HTML_CONSENT_HINT =
  /(?:^|[\s_-])(?:cookie|cookies|consent|gdpr|cmp|onetrust|didomi|usercentrics|cookiebot|cybotcookiebotdialog|qc-cmp2|sp_message|truste)(?:$|[\s_-])/i;

/**
 * class/id hints of embedded social posts: their text never votes in the container scoring, so an
 * embed (or a page of them) cannot win the page; an embed inside the article stays in it.
 */
export const HTML_EMBED_HINT =
  /(?:^|[\s_-])(?:twitter-tweet|instagram-media|tiktok-embed|fb-post|bluesky-embed|mastodon-embed|reddit-embed|threads-embed|social-embed|embed-social)(?:$|[\s_-])/i;

/**
 * Local same-story folding (issue 23, story-fold.ts): two content files that carry the same story
 * (a page saved as `.html` and again as `.md`, the same text under two names or folders, each with
 * its own chrome around it) publish ONE item.
 * - Same story: the same fingerprint of the article text as the file cleaned on its own (no corpus
 *   chrome, so the fingerprint depends on the file alone and an incremental run can keep it): the
 *   comparison keys of its kept body blocks other than headings, each of at least
 *   `minBlockChars`, at least `minFingerprintChars` in all. Why cleaned alone: the corpus-chrome
 *   counts depend on which copies are folded, so a fingerprint taken after them would go round in
 *   a circle. Why long blocks only: a share or "read also" line glued into a paragraph, a caption
 *   or a sub-heading survives one copy's cleaning and not the other's; the story is its prose.
 *   Why a minimum: two stubs are not the same story (the remote rule's bound).
 * - Which copy wins: the most stated metadata fields (title, date, author, url, tags…: the copy a
 *   reader learns most from), then the first path in code-unit order. Never read order or time,
 *   so a full and an incremental build choose the same copy.
 * - The other copies are folded into it: reported (build report, `kiosque clean --explain`),
 *   never published, no failure.
 * - Chrome: a folded copy is not an article of the corpus, so none of its blocks count toward "a block repeated across documents of one source is chrome". Why: a story saved
 *   twice would otherwise have its own short paragraphs judged chrome, found in two files.
 * Known limit: an edit that only touches short lines (under `minBlockChars`) keeps the copies
 * folded, and the winner is published as it is.
 */
export const STORY_FOLD = {
  minBlockChars: 100,
  minFingerprintChars: 200,
} as const;
