/**
 * Image paths: stored relative to the project's images root with '/' separators on every
 * platform, so a project moves between machines and a moved root can be re-linked.
 */
import path from 'node:path'
import { invalidInput } from './errors'

/** The stored form of `file` under `root`; throws when the file is not inside the root. */
export function toRelPath(root: string, file: string): string {
  const relative = path.relative(path.resolve(root), path.resolve(file))
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) throw invalidInput(`${file} is not inside the images root ${root}`)
  return relative.split(path.sep).join('/')
}

export function fromRelPath(root: string, relPath: string): string {
  return path.join(root, ...relPath.split('/'))
}

export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(candidate))
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

/** The deepest folder containing both, or null when there is none (different Windows drives). */
export function commonAncestor(a: string, b: string): string | null {
  let candidate = path.resolve(a)
  const other = path.resolve(b)
  for (;;) {
    if (isInside(candidate, other)) return candidate
    const parent = path.dirname(candidate)
    if (parent === candidate) return null
    candidate = parent
  }
}
