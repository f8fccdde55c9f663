/**
 * The one stylesheet of every HTML page kiosque publishes (pages, feed previews, the feeds' XSL):
 * core/render inlines it between `<style>` and `</style>`, and the app's Content-Security-Policy
 * allows exactly this text by its SHA-256 (app/http/response-policy.ts). It lives outside both so
 * that neither reaches into the other for it.
 *
 * Must not: hold anything but the stylesheet text: any change to it changes the CSP hash, which
 * the app recomputes from this same constant.
 */

export const PAGE_STYLE =
  'body{max-width:42rem;margin:0 auto;padding:1rem;font:1.05rem/1.6 system-ui,sans-serif;color:#222;background:#fff}' +
  'a{color:#0645ad}h1,h2{line-height:1.25}.meta{color:#555;font-size:.9rem}' +
  '.items{list-style:none;padding:0}.items li{margin:0 0 1.5rem}' +
  '.tags{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0}' +
  'nav a{margin-right:.75rem}code{overflow-wrap:anywhere}blockquote{margin-left:0;padding-left:1rem;border-left:3px solid #ccc}' +
  'figure{margin:1.5rem 0}img,video{max-width:100%;height:auto}audio{width:100%}' +
  'figcaption{color:#555;font-size:.9rem}' +
  '@media (prefers-color-scheme:dark){body{color:#ddd;background:#111}a{color:#8ab4f8}.meta{color:#aaa}}';
