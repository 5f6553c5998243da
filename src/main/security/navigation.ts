/**
 * The studio window shows exactly one page. Any navigation away from it (a dropped file, a
 * link in an error message, a compromised renderer) is refused rather than sanitised.
 */

/**
 * scheme://host[:port] of a URL. `URL.origin` is "null" for schemes WHATWG does not know (such
 * as studio://) outside Electron, so the origin is assembled from its parts instead.
 */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    return parsed.host ? `${parsed.protocol}//${parsed.host}` : null
  } catch {
    return null
  }
}

export function isAllowedNavigation(target: string, appEntryUrl: string): boolean {
  const origin = originOf(target)
  if (origin === null || origin !== originOf(appEntryUrl)) return false
  const targetUrl = new URL(target)
  const entryUrl = new URL(appEntryUrl)
  // Only a reload of the entry page itself (ignoring the fragment) is a navigation we expect.
  return targetUrl.pathname === entryUrl.pathname && targetUrl.search === entryUrl.search
}

/** Whether an IPC message comes from the studio's own page rather than some other frame. */
export function isTrustedSenderUrl(senderUrl: string | undefined, appOrigin: string): boolean {
  return senderUrl !== undefined && originOf(senderUrl) === appOrigin
}
