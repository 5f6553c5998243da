/**
 * Which execution providers this machine can run, and in words a user can act on, why not.
 * The checks are static (platform, the onnxruntime-node build, library files on disk), so they
 * are cheap and never load a GPU library; a provider listed as available can still fail to
 * start, and the runtime's fallback report (ModelState.attempts) says so when it does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import * as ort from 'onnxruntime-node'
import type { ProviderAvailability } from '../../../common/ipc/dto/model'

/** What the checks look at; `systemProviderEnvironment()` reads the real machine. */
export interface ProviderEnvironment {
  readonly platform: string
  readonly arch: string
  /** Backend names from onnxruntime-node's listSupportedBackends(). */
  readonly backends: readonly string[]
  /** onnxruntime-node's native folder for this platform, where its install script puts the CUDA provider. */
  readonly ortBinDir: string | null
  /** Path of a shared library the dynamic linker would find, or null. */
  findLibrary(name: string): string | null
  /** Every found library whose name starts with `prefix` (e.g. "libcudart.so."). */
  findLibraryVersions(prefix: string): readonly string[]
  fileExists(file: string): boolean
}

/** The CUDA provider's own libraries, fetched by onnxruntime-node's install script (ONNXRUNTIME_NODE_INSTALL=cuda12). */
export const CUDA_PROVIDER_LIBRARIES = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'] as const
/** What the CUDA 12 build of onnxruntime links against (CUDA 12.x, cuDNN 9) and the NVIDIA driver. */
export const CUDA_12_RUNTIME = ['libcudart.so.12', 'libcublasLt.so.12', 'libcublas.so.12'] as const
const CUDNN_9 = 'libcudnn.so.9'
const NVIDIA_DRIVER = 'libcuda.so.1'

function cudaProblems(env: ProviderEnvironment): string[] {
  const problems: string[] = []
  const missingProvider = CUDA_PROVIDER_LIBRARIES.filter((name) => !env.ortBinDir || !env.fileExists(path.join(env.ortBinDir, name)))
  if (missingProvider.length > 0) {
    problems.push(`the CUDA provider of onnxruntime-node is not installed (${missingProvider.join(', ')}; reinstall with ONNXRUNTIME_NODE_INSTALL=cuda12, see the README)`)
  }
  if (!env.findLibrary(NVIDIA_DRIVER)) problems.push(`no NVIDIA driver found (${NVIDIA_DRIVER})`)
  const missingRuntime = CUDA_12_RUNTIME.filter((name) => !env.findLibrary(name))
  if (missingRuntime.length > 0) {
    // Name other CUDA versions once each: "found CUDA 13" explains the failure better than "nothing found".
    const others = new Map<string, string>()
    for (const file of env.findLibraryVersions('libcudart.so.')) {
      const name = path.basename(file)
      if (/^libcudart\.so\.\d+$/.test(name) && name !== 'libcudart.so.12' && !others.has(name)) others.set(name, file)
    }
    const found = [...others].map(([name, file]) => `${name} in ${path.dirname(file)}`).join(', ')
    problems.push(`no CUDA 12 runtime found (${missingRuntime.join(', ')})${found ? `; found ${found}, but this onnxruntime-node needs CUDA 12` : ''}`)
  }
  if (!env.findLibrary(CUDNN_9)) problems.push(`no cuDNN 9 found (${CUDNN_9})`)
  return problems
}

function availability(name: ProviderAvailability['name'], reasons: readonly string[]): ProviderAvailability {
  return { name, available: reasons.length === 0, reason: reasons.length === 0 ? null : reasons.join('; ') }
}

export function providerAvailability(env: ProviderEnvironment): ProviderAvailability[] {
  const notIn = (backend: string, what: string) => (env.backends.includes(backend) ? [] : [`this onnxruntime-node build has no ${what} provider`])
  const cuda =
    env.platform !== 'linux'
      ? ['onnxruntime-node ships its CUDA provider for Linux x64 only']
      : env.arch !== 'x64'
        ? [`not x64 (${env.arch}); onnxruntime-node ships its CUDA provider for Linux x64 only`]
        : [...notIn('cuda', 'CUDA'), ...cudaProblems(env)]
  const dml = env.platform === 'win32' ? notIn('dml', 'DirectML') : ['not Windows']
  const coreml = env.platform === 'darwin' ? notIn('coreml', 'CoreML') : ['not macOS']
  return [availability('cuda', cuda), availability('dml', dml), availability('coreml', coreml), availability('cpu', notIn('cpu', 'CPU'))]
}

// The real machine ----------------------------------------------------------------------------

/** Folders listed in /etc/ld.so.conf and the files it includes. */
function ldConfigDirs(file = '/etc/ld.so.conf', depth = 0): string[] {
  const text = (() => {
    try {
      return readFileSync(file, 'utf8')
    } catch {
      return ''
    }
  })()
  const dirs: string[] = []
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim()
    if (!line) continue
    const include = /^include\s+(.+)$/.exec(line)
    if (!include) {
      dirs.push(line)
      continue
    }
    if (depth > 3) continue
    const pattern = path.resolve(path.dirname(file), include[1]!)
    const folder = path.dirname(pattern)
    const glob = new RegExp(`^${path.basename(pattern).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`)
    const names = (() => {
      try {
        return readdirSync(folder).filter((name) => glob.test(name)).sort()
      } catch {
        return []
      }
    })()
    for (const name of names) dirs.push(...ldConfigDirs(path.join(folder, name), depth + 1))
  }
  return dirs
}

/** Library paths recorded in the dynamic linker's cache (ldconfig), read as plain strings. */
function ldCachePaths(): string[] {
  try {
    return readFileSync('/etc/ld.so.cache', 'latin1').match(/\/[\x21-\x7e]+?\.so[\x21-\x7e]*(?=\0)/g) ?? []
  } catch {
    return []
  }
}

function cudaToolkitDirs(): string[] {
  const roots = ['/usr/local', '/opt']
  const dirs: string[] = []
  for (const root of roots) {
    let names: string[] = []
    try {
      names = readdirSync(root).filter((name) => /^cuda(-[\d.]+)?$/.test(name))
    } catch {
      continue
    }
    for (const name of names) dirs.push(...['lib64', 'lib', 'targets/x86_64-linux/lib'].map((sub) => path.join(root, name, sub)))
  }
  return dirs
}

function onnxruntimeBinDir(platform: string, arch: string): string | null {
  try {
    const entry = createRequire(import.meta.url).resolve('onnxruntime-node')
    // Packaged apps keep native files in app.asar.unpacked (electron-builder asarUnpack).
    const root = path.dirname(path.dirname(entry)).replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked')
    return path.join(root, 'bin', 'napi-v6', platform, arch)
  } catch {
    return null
  }
}

export interface LibrarySearch {
  readonly platform: string
  readonly arch: string
  readonly backends: readonly string[]
  readonly ortBinDir: string | null
  /** Folders searched in order, as the dynamic linker would (LD_LIBRARY_PATH, ld.so.conf, defaults). */
  readonly searchDirs: readonly string[]
  /** Paths from the linker cache, consulted after the folders. */
  readonly cachedPaths: readonly string[]
}

/** An environment that looks for libraries in real folders (each listed once, lazily). */
export function libraryEnvironment(search: LibrarySearch): ProviderEnvironment {
  const dirs = [...new Set(search.searchDirs.map((dir) => path.resolve(dir)))]
  const listings = new Map<string, readonly string[]>()
  const list = (dir: string) => {
    let names = listings.get(dir)
    if (!names) {
      try {
        names = readdirSync(dir)
      } catch {
        names = []
      }
      listings.set(dir, names)
    }
    return names
  }
  return {
    platform: search.platform,
    arch: search.arch,
    backends: search.backends,
    ortBinDir: search.ortBinDir,
    fileExists: (file) => existsSync(file),
    findLibrary: (name) => {
      for (const dir of dirs) if (list(dir).includes(name)) return path.join(dir, name)
      return search.cachedPaths.find((file) => path.basename(file) === name && existsSync(file)) ?? null
    },
    findLibraryVersions: (prefix) => {
      const found = dirs.flatMap((dir) => list(dir).filter((name) => name.startsWith(prefix)).map((name) => path.join(dir, name)))
      const fromCache = search.cachedPaths.filter((file) => path.basename(file).startsWith(prefix) && existsSync(file))
      return [...new Set([...found, ...fromCache])]
    },
  }
}

export function systemProviderEnvironment(): ProviderEnvironment {
  const { platform, arch } = process
  const ortBinDir = onnxruntimeBinDir(platform, arch)
  return libraryEnvironment({
    platform,
    arch,
    backends: ort.listSupportedBackends().map((backend) => backend.name),
    ortBinDir,
    searchDirs: [
      ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
      ...(ortBinDir ? [ortBinDir] : []),
      ...(platform === 'linux' ? ldConfigDirs() : []),
      ...(platform === 'linux' ? ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib64', '/usr/lib64', '/lib', '/usr/lib', '/usr/local/lib', ...cudaToolkitDirs()] : []),
    ],
    cachedPaths: platform === 'linux' ? ldCachePaths() : [],
  })
}
