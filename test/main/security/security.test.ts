import { describe, expect, it } from 'vitest'
import { studioWebPreferences } from '../../../src/main/electron/webPreferences'
import { contentSecurityPolicy } from '../../../src/main/security/csp'
import { isAllowedNavigation, isTrustedSenderUrl } from '../../../src/main/security/navigation'

describe('window hardening', () => {
  it('isolates and sandboxes the renderer', () => {
    const prefs = studioWebPreferences('/app/out/preload/index.cjs')
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
    expect(prefs.preload).toMatch(/\.cjs$/)
  })

  it('allows only a reload of the entry page', () => {
    const entry = 'studio://app/index.html'
    expect(isAllowedNavigation('studio://app/index.html', entry)).toBe(true)
    expect(isAllowedNavigation('studio://app/index.html#review', entry)).toBe(true)
    expect(isAllowedNavigation('https://example.com/', entry)).toBe(false)
    expect(isAllowedNavigation('file:///etc/passwd', entry)).toBe(false)
    expect(isAllowedNavigation('studio://app/other.html', entry)).toBe(false)
    expect(isAllowedNavigation('studio://evil/index.html', entry)).toBe(false)
    expect(isAllowedNavigation('not a url', entry)).toBe(false)
  })

  it('trusts IPC only from the app origin', () => {
    expect(isTrustedSenderUrl('studio://app/index.html', 'studio://app')).toBe(true)
    expect(isTrustedSenderUrl('https://studio.app.example/', 'studio://app')).toBe(false)
    expect(isTrustedSenderUrl(undefined, 'studio://app')).toBe(false)
  })

  it('builds a strict CSP', () => {
    const csp = contentSecurityPolicy()
    expect(csp).toMatch(/default-src 'none'/)
    expect(csp).toMatch(/script-src 'self'(;|$)/)
    expect(csp).toMatch(/object-src 'none'/)
    expect(csp).toMatch(/frame-ancestors 'none'/)
    expect(csp).not.toMatch(/unsafe-(inline|eval)/)
    expect(contentSecurityPolicy({ forMetaTag: true })).not.toContain('frame-ancestors')
  })
})
