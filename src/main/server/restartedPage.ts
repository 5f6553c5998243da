/**
 * What a browser tab sees when it loads a page with a token the server does not know: usually a
 * tab left open across a restart (every launch makes a new token). A short page saying what to
 * do, instead of the API's JSON error; API calls and other requests keep the JSON answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PerSAM Studio: open the new address</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 36em; margin: 4em auto; line-height: 1.5">
<h1>The studio was restarted</h1>
<p>This tab has no valid access token: every start of the studio makes a new one.
Open the new address printed in the terminal where the studio runs
(<code>npm run serve</code> or <code>persam-studio serve</code>): it carries the token.</p>
</body></html>
`

/** A top-level page load (not an API call, media or a script): what a person sees in the tab. */
export function isPageNavigation(request: IncomingMessage, url: URL): boolean {
  if (request.method !== 'GET' || url.pathname.startsWith('/api/') || url.pathname.startsWith('/media/')) return false
  const mode = request.headers['sec-fetch-mode']
  if (typeof mode === 'string') return mode === 'navigate'
  return (request.headers.accept ?? '').includes('text/html')
}

export function sendRestartedPage(response: ServerResponse): void {
  response.writeHead(401, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(PAGE)),
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  })
  response.end(PAGE)
}
