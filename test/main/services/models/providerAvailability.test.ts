import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  CUDA_12_RUNTIME,
  CUDA_PROVIDER_LIBRARIES,
  libraryEnvironment,
  providerAvailability,
  systemProviderEnvironment,
  type LibrarySearch,
} from '../../../../src/main/services/models/providerAvailability'

/** What the dynamic linker knows, asked independently of the code under test. */
function linkerKnows(name: string): boolean {
  try {
    return execFileSync('/sbin/ldconfig', ['-p'], { encoding: 'utf8' }).includes(name) || (process.env.LD_LIBRARY_PATH ?? '') !== ''
  } catch {
    return true // cannot tell: do not assert
  }
}

/** A fake machine: real folders holding (empty) library files with the given names. */
function machine(files: { ortBin?: readonly string[]; libs?: readonly string[] }, overrides: Partial<LibrarySearch> = {}): LibrarySearch {
  const root = mkdtempSync(path.join(os.tmpdir(), 'persam-ep-'))
  const ortBinDir = path.join(root, 'onnxruntime-node', 'bin')
  const libDir = path.join(root, 'cuda', 'lib64')
  mkdirSync(ortBinDir, { recursive: true })
  mkdirSync(libDir, { recursive: true })
  for (const name of files.ortBin ?? []) writeFileSync(path.join(ortBinDir, name), '')
  for (const name of files.libs ?? []) writeFileSync(path.join(libDir, name), '')
  return { platform: 'linux', arch: 'x64', backends: ['cpu', 'webgpu', 'cuda', 'tensorrt'], ortBinDir, searchDirs: [libDir], cachedPaths: [], ...overrides }
}

const ALL_CUDA = [...CUDA_12_RUNTIME, 'libcudnn.so.9', 'libcuda.so.1']
const byName = (search: LibrarySearch) => Object.fromEntries(providerAvailability(libraryEnvironment(search)).map((entry) => [entry.name, entry]))

describe('execution provider availability on this machine', () => {
  const providers = providerAvailability(systemProviderEnvironment())
  const entry = (name: string) => providers.find((provider) => provider.name === name)!

  it('lists cuda, dml, coreml and cpu; cpu always runs', () => {
    expect(providers.map((provider) => provider.name)).toEqual(['cuda', 'dml', 'coreml', 'cpu'])
    expect(entry('cpu')).toEqual({ name: 'cpu', available: true, reason: null })
  })

  it.runIf(process.platform === 'linux')('says why DirectML and CoreML do not run on Linux', () => {
    expect(entry('dml')).toEqual({ name: 'dml', available: false, reason: 'not Windows' })
    expect(entry('coreml')).toEqual({ name: 'coreml', available: false, reason: 'not macOS' })
  })

  it.runIf(process.platform === 'linux' && process.arch === 'x64' && !linkerKnows('libcudart.so.12'))('says that no CUDA 12 runtime was found', () => {
    expect(entry('cuda').available).toBe(false)
    expect(entry('cuda').reason).toMatch(/no CUDA 12 runtime found \(libcudart\.so\.12/)
  })
})

describe('execution provider availability reasons (fake machines with real folders)', () => {
  it('reports CUDA available on Linux x64 with the provider libraries, the driver, CUDA 12 and cuDNN 9', () => {
    expect(byName(machine({ ortBin: CUDA_PROVIDER_LIBRARIES, libs: ALL_CUDA })).cuda).toEqual({ name: 'cuda', available: true, reason: null })
  })

  it('names each missing CUDA piece, and a CUDA of another version when it finds one', () => {
    const cuda = byName(machine({ libs: ['libcudart.so.13', 'libcuda.so.1'] })).cuda!
    expect(cuda.available).toBe(false)
    expect(cuda.reason).toContain('the CUDA provider of onnxruntime-node is not installed (libonnxruntime_providers_cuda.so, libonnxruntime_providers_shared.so; reinstall with ONNXRUNTIME_NODE_INSTALL=cuda12')
    expect(cuda.reason).toMatch(/no CUDA 12 runtime found \(libcudart\.so\.12, libcublasLt\.so\.12, libcublas\.so\.12\); found libcudart\.so\.13 in .*cuda\/lib64, but this onnxruntime-node needs CUDA 12/)
    expect(cuda.reason).toContain('no cuDNN 9 found (libcudnn.so.9)')
    expect(cuda.reason).not.toContain('NVIDIA driver')
  })

  it('points at a missing driver or cuDNN alone when everything else is there', () => {
    expect(byName(machine({ ortBin: CUDA_PROVIDER_LIBRARIES, libs: ALL_CUDA.filter((name) => name !== 'libcuda.so.1') })).cuda!.reason).toBe('no NVIDIA driver found (libcuda.so.1)')
    expect(byName(machine({ ortBin: CUDA_PROVIDER_LIBRARIES, libs: ALL_CUDA.filter((name) => name !== 'libcudnn.so.9') })).cuda!.reason).toBe('no cuDNN 9 found (libcudnn.so.9)')
  })

  it('finds libraries through the linker cache too', () => {
    const search = machine({ ortBin: CUDA_PROVIDER_LIBRARIES, libs: ALL_CUDA })
    const cached = ALL_CUDA.map((name) => path.join(search.searchDirs[0]!, name))
    expect(byName({ ...search, searchDirs: [], cachedPaths: cached }).cuda!.available).toBe(true)
  })

  it('says CUDA is Linux x64 only, and that a build without CUDA has none', () => {
    const files = { ortBin: CUDA_PROVIDER_LIBRARIES, libs: ALL_CUDA }
    expect(byName(machine(files, { arch: 'arm64' })).cuda!.reason).toBe('not x64 (arm64); onnxruntime-node ships its CUDA provider for Linux x64 only')
    expect(byName(machine(files, { backends: ['cpu'] })).cuda!.reason).toBe('this onnxruntime-node build has no CUDA provider')
  })

  it('reports DirectML on Windows and CoreML on macOS from the build', () => {
    const windows = byName(machine({}, { platform: 'win32', backends: ['cpu', 'dml', 'webgpu'] }))
    expect(windows.dml).toEqual({ name: 'dml', available: true, reason: null })
    expect(windows.coreml!.reason).toBe('not macOS')
    expect(windows.cuda!.reason).toBe('onnxruntime-node ships its CUDA provider for Linux x64 only')
    const mac = byName(machine({}, { platform: 'darwin', arch: 'arm64', backends: ['cpu', 'coreml'] }))
    expect(mac.coreml).toEqual({ name: 'coreml', available: true, reason: null })
    expect(mac.dml!.reason).toBe('not Windows')
    expect(byName(machine({}, { platform: 'darwin', backends: ['cpu'] })).coreml!.reason).toBe('this onnxruntime-node build has no CoreML provider')
  })
})
