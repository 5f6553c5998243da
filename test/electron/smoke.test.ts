/**
 * Runs the real desktop app when an Electron binary is installed: the window must load through
 * the studio:// protocol and fill its status bar over the preload bridge and IPC. Electron 45
 * downloads its binary lazily, so this looks for it on disk and never triggers a download.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

function installedElectronBinary(): string | null {
  const dir = path.resolve('node_modules/electron')
  const pathFile = path.join(dir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0
}

const binary = installedElectronBinary()
const built = existsSync(path.resolve('out/main/index.js'))
const needsVirtualDisplay = process.platform === 'linux' && !process.env.DISPLAY
const skipReason = !binary
  ? 'no Electron binary is installed (installs here use ELECTRON_SKIP_BINARY_DOWNLOAD=1; run `npx install-electron` to get one)'
  : !built
    ? 'the app is not built (run `npm run build`)'
    : needsVirtualDisplay && !hasCommand('xvfb-run')
      ? 'no display and no xvfb-run'
      : null

if (skipReason) console.info(`[electron smoke test] skipped: ${skipReason}`)

describe('Electron smoke test', () => {
  it.skipIf(skipReason !== null)('starts the desktop app and fills the status bar over IPC', () => {
    const args = ['--no-sandbox', path.resolve('.')]
    const [command, commandArgs] = needsVirtualDisplay ? ['xvfb-run', ['-a', binary!, ...args]] : [binary!, args]
    const result = spawnSync(command, commandArgs, {
      env: { ...process.env, STUDIO_SMOKE_TEST: '1', ELECTRON_ENABLE_LOGGING: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    })
    const line = result.stdout.split('\n').find((l) => l.startsWith('STUDIO_SMOKE_TEST '))
    expect(line, result.stderr).toBeDefined()
    const { statusBar } = JSON.parse(line!.slice('STUDIO_SMOKE_TEST '.length)) as { statusBar: string }
    expect(statusBar).toContain('Electron')
    expect(statusBar).toContain('onnxruntime-node')
    expect(result.status).toBe(0)
  })
})
