/**
 * Chooses which better-sqlite3 binary to load. Node (tests, CLI, browser mode) uses the one npm
 * built in node_modules; Electron loads the side-by-side build made by scripts/native-electron.mjs
 * (native/better-sqlite3/electron-v<abi>-<platform>-<arch>/), so neither run needs a rebuild.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

function findPackageRoot(start: string): string | null {
  let dir = start
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'node_modules'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) return null
    dir = parent
  }
}

export function electronBindingPath(root: string, abi: string, platform: string, arch: string): string {
  return path.join(root, 'native', 'better-sqlite3', `electron-v${abi}-${platform}-${arch}`, 'better_sqlite3.node')
}

/**
 * The `nativeBinding` option for better-sqlite3, or undefined for its default binary. Packaged
 * apps have no side-by-side file: electron-builder rebuilds the default binary for Electron.
 */
export function betterSqliteNativeBinding(versions: NodeJS.ProcessVersions = process.versions): string | undefined {
  if (!versions.electron) return undefined
  const root = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)))
  if (!root) return undefined
  const file = electronBindingPath(root, versions.modules, process.platform, process.arch)
  return existsSync(file) ? file : undefined
}

/** Turns the opaque ABI mismatch error into one that says what to run. */
export function explainBindingError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error)
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) {
    const runtime = process.versions.electron ? `Electron ${process.versions.electron}` : `Node ${process.versions.node}`
    const fix = process.versions.electron ? 'npm run rebuild:electron' : 'npm rebuild better-sqlite3'
    return new Error(`better-sqlite3 was built for another runtime than ${runtime}; run \`${fix}\`. (${message})`)
  }
  return error instanceof Error ? error : new Error(message)
}
