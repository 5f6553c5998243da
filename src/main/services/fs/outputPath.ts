/**
 * Checks a user-given output path before any work or folder creation: refuses virtual
 * filesystems (/proc, /sys, /dev and their kin, where Node's recursive mkdir can spin forever),
 * anything in the way that is not a folder, and folders this process cannot write to. Folders
 * are then created one level at a time. Everything is asynchronous, so the event loop never blocks.
 */
import { access, constants, mkdir, open, realpath, rm, stat, statfs } from 'node:fs/promises'
import path from 'node:path'
import { StudioError } from '../../../common/ipc/result'
import { temporaryPathFor } from './atomicWrite'

/** Linux statfs magic numbers of pseudo filesystems nothing should be written to. */
const VIRTUAL_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x6165676c, 'pstore'],
  [0xcafe4a11, 'bpf'],
  [0x62656570, 'configfs'],
  [0x65735543, 'fusectl'],
  [0xde5e81e4, 'efivarfs'],
  [0x42494e4d, 'binfmt_misc'],
])
/** /dev is an ordinary tmpfs by type, so the kernel's own trees are also refused by path. */
const VIRTUAL_ROOTS = ['/proc', '/sys', '/dev']

const fail = (label: string, message: string): never => {
  throw new StudioError('invalid-input', `${label}: ${message}`)
}

const errorText = (error: unknown): string => ((error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error)))

/** The nearest existing ancestor of `target` (itself when it exists) and the missing parts below it. */
async function nearestExisting(target: string): Promise<{ existing: string; missing: string[] }> {
  const missing: string[] = []
  let current = target
  for (;;) {
    const found = await stat(current).then(
      () => true,
      (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ENOTDIR' ? false : Promise.reject(error)),
    )
    if (found) return { existing: current, missing }
    const parent = path.dirname(current)
    if (parent === current) return { existing: current, missing }
    missing.unshift(path.basename(current))
    current = parent
  }
}

async function refuseVirtual(existing: string, label: string): Promise<void> {
  const real = await realpath(existing)
  if (process.platform !== 'win32') {
    const root = VIRTUAL_ROOTS.find((prefix) => real === prefix || real.startsWith(`${prefix}/`))
    if (root) fail(label, `${root} is a virtual filesystem, not a place for files; choose a folder on a disk`)
  }
  const type = await statfs(real).then(
    (info) => VIRTUAL_FILESYSTEMS.get(Number(info.type)),
    () => undefined,
  )
  if (type) fail(label, `${real} is on ${type}, a virtual filesystem; choose a folder on a disk`)
}

/** Whether files can be created in `dir` (a real probe: permissions, read-only mounts, ACLs). */
async function checkWritable(dir: string, label: string): Promise<void> {
  const probe = temporaryPathFor(path.join(dir, 'write-check'))
  try {
    await (await open(probe, 'wx')).close()
  } catch (error) {
    fail(label, `cannot write in ${dir} (${errorText(error)})`)
  }
  await rm(probe, { force: true })
}

/** "--out x/y" or just "x/y": how messages name the path the user gave. */
const describe = (given: string, option: string | undefined): string => (option ? `${option} ${given}` : given)

/**
 * Makes sure `dir` is a writable folder, creating it and its missing parents. Returns its
 * absolute path. `option` names the option or field in messages (e.g. "--out").
 */
export async function prepareOutputFolder(dir: string, option?: string): Promise<string> {
  const label = describe(dir, option)
  return prepareFolderFor(path.resolve(dir), label)
}

async function prepareFolderFor(target: string, label: string): Promise<string> {
  const { existing, missing } = await nearestExisting(target).catch((error: unknown) => fail(label, `cannot inspect ${target} (${errorText(error)})`))
  await refuseVirtual(existing, label)
  if (!(await stat(existing)).isDirectory()) fail(label, missing.length === 0 ? `${target} is not a folder` : `${existing} is a file, not a folder`)
  await checkWritable(existing, label)
  let current = existing
  for (const part of missing) {
    current = path.join(current, part)
    await mkdir(current).catch((error: NodeJS.ErrnoException) => (error.code === 'EEXIST' ? undefined : fail(label, `cannot create ${current} (${errorText(error)})`)))
  }
  return target
}

/**
 * Makes sure `file` can be written: its folder is prepared as above, and the file, when it
 * exists, is a replaceable file (not a folder). Returns its absolute path.
 */
export async function prepareOutputFile(file: string, option?: string): Promise<string> {
  const label = describe(file, option)
  const target = path.resolve(file)
  if (file.endsWith('/') || file.endsWith(path.sep)) fail(label, 'this names a folder; give a file name')
  await prepareFolderFor(path.dirname(target), label)
  const existing = await stat(target).catch(() => null)
  if (existing?.isDirectory()) fail(label, 'this is a folder; give a file name')
  if (existing && !existing.isFile()) fail(label, 'this is not a regular file')
  if (existing) await access(target, constants.W_OK).catch((error: unknown) => fail(label, `cannot replace ${target} (${errorText(error)})`))
  return target
}
