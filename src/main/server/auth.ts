/**
 * Access control for the browser-mode server. It listens on 127.0.0.1 only, but any local
 * process or any web page the user visits could still reach it, so every request must carry the
 * per-launch token (as a header or as the cookie set on the first visit), and requests made by
 * other origins or through other host names (DNS rebinding) are refused.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const TOKEN_HEADER = 'x-studio-token'
/** The reason given when only the token is wrong (host and origin are fine): e.g. a tab from before a restart. */
export const TOKEN_REFUSED = 'missing or wrong token'

export function createToken(): string {
  return randomBytes(32).toString('base64url')
}

/** Cookies are shared across ports on one host, so the name carries the port. */
export function cookieName(port: number): string {
  return `studio_token_${port}`
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return null
}

export interface AccessPolicy {
  readonly token: string
  readonly port: number
}

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`])
}

export function allowedOrigins(port: number): Set<string> {
  return new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])
}

export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly reason: string }

/** Checks host, origin and token. `tokenFromQuery` is only accepted for the first page load. */
export function checkAccess(
  request: IncomingMessage,
  policy: AccessPolicy,
  tokenFromQuery: string | null = null,
): AccessDecision {
  const host = request.headers.host
  if (!host || !allowedHosts(policy.port).has(host)) return { allowed: false, reason: 'unexpected Host header' }
  const origin = request.headers.origin
  if (origin !== undefined && !allowedOrigins(policy.port).has(origin)) {
    return { allowed: false, reason: `origin ${origin} is not allowed` }
  }
  const header = request.headers[TOKEN_HEADER]
  const candidates = [
    typeof header === 'string' ? header : null,
    readCookie(request.headers.cookie, cookieName(policy.port)),
    tokenFromQuery,
  ]
  if (candidates.some((candidate) => candidate !== null && safeEqual(candidate, policy.token))) {
    return { allowed: true }
  }
  return { allowed: false, reason: TOKEN_REFUSED }
}
