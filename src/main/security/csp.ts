/**
 * The renderer's Content-Security-Policy, shared by the Electron protocol handler and the
 * browser-mode server: only the studio's own scripts and styles, no eval, no inline script,
 * images only from the studio itself (media routes) or from in-memory blobs the canvas makes.
 */
export interface CspOptions {
  /** Extra connect-src entries, e.g. the browser-mode WebSocket origin or a dev server. */
  readonly connect?: readonly string[]
  /** Development only: the Vite dev server needs its own origin and HMR socket. */
  readonly devServer?: string
  /** A <meta> policy cannot carry frame-ancestors (browsers ignore it there and warn). */
  readonly forMetaTag?: boolean
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const dev = options.devServer ? [options.devServer] : []
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': ["'self'", ...dev],
    'style-src': ["'self'", ...dev],
    'img-src': ["'self'", 'blob:', 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'", ...(options.connect ?? []), ...dev],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  }
  if (options.forMetaTag) delete directives['frame-ancestors']
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ')
}
