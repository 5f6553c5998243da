#!/usr/bin/env node
/**
 * better-sqlite3 is a V8-ABI addon: one binary cannot serve both Node (tests, CLI, browser mode)
 * and Electron (the desktop app). npm installs the Node build in node_modules; this script puts an
 * Electron build beside it, in native/better-sqlite3/electron-v<abi>-<platform>-<arch>/, which the
 * main process loads through better-sqlite3's `nativeBinding` option. Neither replaces the other,
 * so `npm start` and `npm test` both work without rebuilding in between.
 *
 * Runs at postinstall. Offline installs (ELECTRON_SKIP_BINARY_DOWNLOAD=1, as in CI) skip it; run
 * `npm run rebuild:electron` later. It never fails the install unless --force is given.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const force = process.argv.includes('--force')
const log = (message) => console.log(`[native-electron] ${message}`)

function electronTarget() {
  const electronDir = path.join(root, 'node_modules', 'electron')
  if (!existsSync(path.join(electronDir, 'package.json'))) return null
  const version = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8')).version
  const abi = readFileSync(path.join(electronDir, 'abi_version'), 'utf8').trim()
  return { version, abi }
}

export function electronBindingDir(abi, platform = process.platform, arch = process.arch) {
  return path.join(root, 'native', 'better-sqlite3', `electron-v${abi}-${platform}-${arch}`)
}

function run(command, args, cwd) {
  const env = { ...process.env }
  // The machine-wide npm config may point node-gyp at Node's own headers; Electron needs its own.
  delete env.npm_config_nodedir
  delete env.NPM_CONFIG_NODEDIR
  const result = spawnSync(command, args, { cwd, env, stdio: 'inherit', shell: process.platform === 'win32' })
  return result.status === 0
}

/** npm's own node-gyp: npm exposes it to lifecycle scripts, and ships it next to npm-cli.js. */
function nodeGypScript() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath && path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ]
  return candidates.find((file) => file && existsSync(file)) ?? null
}

function main() {
  if (!force && (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD === '1' || process.env.STUDIO_SKIP_ELECTRON_NATIVE === '1')) {
    log('skipped (offline install). Run `npm run rebuild:electron` before `npm start` on this machine.')
    return 0
  }
  const target = electronTarget()
  if (!target) {
    log('electron is not installed; nothing to build.')
    return 0
  }
  const destination = path.join(electronBindingDir(target.abi), 'better_sqlite3.node')
  if (existsSync(destination) && !force) {
    log(`Electron ${target.version} binary already present: ${path.relative(root, destination)}`)
    return 0
  }
  const source = path.join(root, 'node_modules', 'better-sqlite3')
  const work = mkdtempSync(path.join(tmpdir(), 'better-sqlite3-electron-'))
  try {
    // Build in a copy: prebuild-install and node-gyp write build/Release in place, which would
    // overwrite the Node binary the tests and the CLI use.
    cpSync(source, work, { recursive: true, filter: (file) => !file.includes(`${path.sep}build${path.sep}`) && !file.endsWith(`${path.sep}build`) })
    const prebuild = path.join(root, 'node_modules', 'prebuild-install', 'bin.js')
    const fetched =
      existsSync(prebuild) &&
      run(process.execPath, [prebuild, '--runtime', 'electron', '--target', target.version, '--arch', process.arch], work)
    if (!fetched) {
      log('no prebuilt binary for this Electron; compiling from source with node-gyp')
      const nodeGyp = nodeGypScript()
      if (!nodeGyp) throw new Error("npm's node-gyp was not found (run this script through npm)")
      const built = run(
        process.execPath,
        [nodeGyp, 'rebuild', '--release', `--target=${target.version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers', `--arch=${process.arch}`],
        work,
      )
      if (!built) throw new Error('node-gyp could not build better-sqlite3 for Electron')
    }
    mkdirSync(path.dirname(destination), { recursive: true })
    copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), destination)
    log(`built better-sqlite3 for Electron ${target.version} (ABI ${target.abi}): ${path.relative(root, destination)}`)
    return 0
  } catch (error) {
    log(`could not build better-sqlite3 for Electron ${target.version}: ${error.message}`)
    log('The CLI, tests and browser mode still work. For the desktop app, run `npm run rebuild:electron` when online.')
    return force ? 1 : 0
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

process.exitCode = main()
