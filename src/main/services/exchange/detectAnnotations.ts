/**
 * A cheap look at a folder about to become a project: does it hold COCO files, a PerSeg or a
 * DAVIS layout worth offering to import? COCO files are recognised by the top-level keys of the JSON
 * object, read from the file's first bytes only (the keys images/annotations/categories are
 * usually first and short; big arrays come after), so a 1 GB file costs one small read.
 */
import { open, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type { AnnotationsFound } from '../../../common/ipc/types'
import { readDavisLayout } from './davis/davisLayout'

const SNIFF_BYTES = 64 * 1024
const COCO_KEYS = ['images', 'annotations', 'categories'] as const
/** Where COCO files usually sit: the folder itself and its annotations/ subfolder. */
const COCO_FOLDERS = ['.', 'annotations', 'Annotations']

/** True when the file starts like a JSON object naming all three COCO sections as top-level keys. */
export async function looksLikeCoco(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => null)
  if (!handle) return false
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES)
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0)
    const head = buffer.subarray(0, bytesRead).toString('utf8')
    if (!head.trimStart().startsWith('{')) return false
    const keys = topLevelKeys(head)
    return COCO_KEYS.every((key) => keys.has(key))
  } finally {
    await handle.close()
  }
}

/**
 * The keys at depth 1 of a JSON object, from a prefix of its text. Strings are skipped with their
 * escapes; nesting is tracked by brackets, so keys inside `info` or inside arrays are not counted.
 * A section whose key lies past the prefix (after a huge array) is missed: the sniff says no.
 */
function topLevelKeys(text: string): Set<string> {
  const keys = new Set<string>()
  let depth = 0
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') {
      let j = i + 1
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      if (j >= text.length) break
      if (depth === 1 && expectKey) keys.add(text.slice(i + 1, j))
      expectKey = false
      i = j
    } else if (c === '{' || c === '[') {
      depth++
      expectKey = c === '{' && depth === 1
    } else if (c === '}' || c === ']') depth--
    else if (c === ',' && depth === 1) expectKey = true
  }
  return keys
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => null))?.isDirectory() ?? false
}

/** PerSeg: Images/ and Annotations/ with at least one object folder in common. */
async function isPerseg(root: string): Promise<boolean> {
  const images = path.join(root, 'Images')
  const masks = path.join(root, 'Annotations')
  if (!(await isDirectory(images)) || !(await isDirectory(masks))) return false
  const objects = (await readdir(images, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name)
  for (const object of objects) if (await isDirectory(path.join(masks, object))) return true
  return false
}

/** DAVIS: JPEGImages/[<resolution>/]<sequence>/ frames with their Annotations/ folders (the layout reader's own check). */
async function isDavis(root: string): Promise<boolean> {
  if (!(await isDirectory(path.join(root, 'JPEGImages'))) || !(await isDirectory(path.join(root, 'Annotations')))) return false
  return readDavisLayout(root).then(
    () => true,
    () => false,
  )
}

export async function detectAnnotations(folder: string): Promise<AnnotationsFound> {
  const root = path.resolve(folder)
  const coco: string[] = []
  for (const sub of COCO_FOLDERS) {
    const dir = path.join(root, sub)
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
    for (const entry of entries) {
      if (!entry.isFile() || path.extname(entry.name).toLowerCase() !== '.json') continue
      const file = path.join(dir, entry.name)
      if (!coco.includes(file) && (await looksLikeCoco(file))) coco.push(file)
    }
  }
  return { coco: coco.sort(), perseg: await isPerseg(root), davis: await isDavis(root) }
}
