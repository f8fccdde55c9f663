/**
 * `/robots.txt`: site base URL → a robots file that lets every crawler fetch everything
 * (feeds and pages are public and meant to be fetched) and points at the OPML list.
 *
 * Must not: disallow feeds: aggregators that honour robots.txt would stop polling them.
 * Spec: RFC 9309.
 */
export function renderRobots(opmlUrl: string): string {
  return `# kiosque: feeds and pages are public; poll feeds no faster than their Cache-Control says.\nUser-agent: *\nAllow: /\n\n# Every feed: ${opmlUrl}\n`;
}
