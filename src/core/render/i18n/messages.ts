/**
 * The shape of one language's interface wording: every string a person reads on the home,
 * article, tag, publisher, feed-preview and status pages (never the articles' own text).
 * A translation table (en.ts, fr.ts …) is one object of this type; `translate.ts` picks it.
 *
 * Must not: hold markup (renderers escape every value), read the clock, or format dates or
 * numbers itself: a message that names a value takes it already formatted (format-locale.ts).
 * Tunables: the tables themselves.
 */
export interface Messages {
  /** What ends a label before its values (French typography puts a no-break space before it). */
  readonly colon: string;
  // Pages (home, tag, publisher, article)
  readonly subscribe: string;
  readonly empty: string;
  readonly allArticles: string;
  readonly by: string;
  readonly published: string;
  readonly updated: string;
  readonly tags: string;
  readonly source: string;
  readonly feeds: string;
  readonly publishers: string;
  readonly opml: string;
  readonly recent: string;
  readonly taggedWith: (label: string) => string;
  readonly fromPublisher: (label: string) => string;
  // Feed preview (a browser opening a feed URL)
  readonly previewBanner: string;
  readonly previewHowTo: string;
  readonly previewFeedAddress: string;
  readonly previewFormats: string;
  readonly previewReaders: string;
  readonly previewArchive: (page: string) => string;
  readonly visitSite: string;
  // Status page
  readonly statusTitle: string;
  readonly statusState: string;
  readonly statusOk: string;
  readonly statusLastFailed: string;
  readonly statusNothingYet: string;
  readonly statusLastAttempt: string;
  readonly statusLastSuccess: string;
  readonly statusItems: string;
  readonly statusDuration: string;
  readonly statusWarnings: string;
  readonly statusYourAddress: string;
  readonly statusChanges: string;
  readonly statusRetained: string;
  readonly statusFailed: string;
  readonly statusDuplicates: string;
  readonly statusCleaning: string;
  readonly statusTimings: string;
  readonly statusSources: string;
  readonly statusAttention: string;
  readonly statusAttentionNone: string;
  readonly statusFile: string;
  readonly statusItemTitle: string;
  readonly statusRule: string;
  readonly statusWhy: string;
  readonly statusOutcome: string;
  readonly statusHeldBack: string;
  readonly statusPublishedFlagged: string;
  readonly statusRuns: string;
  readonly statusRunAt: string;
  readonly statusRunResult: string;
  readonly statusRunOk: string;
  readonly statusRunFailed: string;
  readonly statusErrors: string;
  readonly statusRetainedItems: string;
  /** The site description when the configuration gives none. */
  readonly siteDescription: string;
  /** The remote-source table's column headings. */
  readonly sourceName: string;
  readonly sourceType: string;
  readonly sourceStatus: string;
  readonly sourceEntries: string;
  readonly sourceItems: string;
  readonly sourceFailedItems: string;
  readonly sourceTime: string;
  readonly sourceError: string;
  /** A remote source's outcome in the last run (the report's status codes). */
  readonly sourceStates: Readonly<Record<'fetched' | 'not-modified' | 'failed' | 'deferred', string>>;
  /** `when` is already formatted (date and time). */
  readonly sourceDeferredUntil: (when: string) => string;
  readonly home: string;
  readonly milliseconds: (value: string) => string;
  /** The visible mark after a machine-translation artefact (a number lost in translation). */
  readonly lostNumber: string;
}
