/**
 * Reads the DAVIS folder layout, for import and for DAVIS evaluation alike:
 * <root>/JPEGImages/<resolution>/<sequence>/<frame>.jpg and
 * <root>/Annotations/<resolution>/<sequence>/<frame>.png, where <resolution> is 480p or
 * Full-Resolution in DAVIS (any name is accepted; 480p is preferred when several are present)
 * and may be left out (JPEGImages/<sequence>/, as YouTube-VOS lays it out). Frames are in
 * natural file-name order (frame2 before frame10); a frame's annotation has its name with .png.
 * Annotations are read by palette index (the object id), not by colour; a PNG without a palette
 * is read by its colours, which must be the DAVIS palette's.
 */
import { readFile, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { StudioError } from '../../../../common/ipc/result'
import { naturalCompare } from '../../../../common/util/naturalOrder'
import { hasImageExtension } from '../../images/probe'
import { davisIdOfColour, decodePaletteIndices } from './davisPalette'

export const DAVIS_RESOLUTION = '480p'

export interface DavisFrameFiles {
  readonly image: string
  /** The frame's annotation PNG, null when the sequence's Annotations folder has none for it. */
  readonly annotation: string | null
}

export interface DavisSequenceFolder {
  readonly name: string
  readonly frames: readonly DavisFrameFiles[]
}

export interface DavisLayout {
  readonly root: string
  /** The resolution folder used (e.g. 480p), null when sequences sit right under JPEGImages/. */
  readonly resolution: string | null
  readonly sequences: readonly DavisSequenceFolder[]
}

export interface DavisLayoutOptions {
  /** The resolution folder to read (default: 480p when present, else the only one). */
  readonly resolution?: string
}

/** Object ids per pixel, as a DAVIS annotation holds them. */
export interface DavisAnnotation {
  readonly width: number
  readonly height: number
  readonly ids: Uint8Array
}

const invalid = (message: string) => new StudioError('invalid-input', message)

async function subfolders(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name).sort(naturalCompare)
}

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir, { withFileTypes: true })).filter((entry) => !entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name).sort(naturalCompare)
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => null))?.isDirectory() ?? false
}

/** The resolution folder under JPEGImages/ (null: sequences directly under it). */
async function pickResolution(imagesRoot: string, annotationsRoot: string, wanted: string | undefined): Promise<string | null> {
  if (wanted !== undefined) {
    if (!(await isDirectory(path.join(imagesRoot, wanted)))) throw invalid(`${path.join(imagesRoot, wanted)}: the resolution folder ${wanted} is missing`)
    return wanted
  }
  const folders = await subfolders(imagesRoot)
  if (folders.length === 0) throw invalid(`${imagesRoot}: no sequence folders (expected JPEGImages/${DAVIS_RESOLUTION}/<sequence>/)`)
  // A folder holding frames is a sequence: no resolution level.
  if ((await files(path.join(imagesRoot, folders[0]!))).some(hasImageExtension)) return null
  const both: string[] = []
  for (const folder of folders) if (await isDirectory(path.join(annotationsRoot, folder))) both.push(folder)
  if (both.includes(DAVIS_RESOLUTION)) return DAVIS_RESOLUTION
  if (both.length === 1) return both[0]!
  if (both.length === 0) throw invalid(`${annotationsRoot}: no resolution folder matching JPEGImages/ (${folders.join(', ')})`)
  throw invalid(`${imagesRoot}: several resolution folders (${both.join(', ')}); choose one`)
}

export async function readDavisLayout(folder: string, options: DavisLayoutOptions = {}): Promise<DavisLayout> {
  const root = path.resolve(folder)
  const imagesRoot = path.join(root, 'JPEGImages')
  const annotationsRoot = path.join(root, 'Annotations')
  if (!(await isDirectory(imagesRoot))) throw invalid(`${imagesRoot}: missing; a DAVIS folder holds JPEGImages/${DAVIS_RESOLUTION}/<sequence>/ and Annotations/${DAVIS_RESOLUTION}/<sequence>/`)
  if (!(await isDirectory(annotationsRoot))) throw invalid(`${annotationsRoot}: missing; a DAVIS folder holds JPEGImages/${DAVIS_RESOLUTION}/<sequence>/ and Annotations/${DAVIS_RESOLUTION}/<sequence>/`)
  const resolution = await pickResolution(imagesRoot, annotationsRoot, options.resolution)
  const imagesDir = resolution === null ? imagesRoot : path.join(imagesRoot, resolution)
  const annotationsDir = resolution === null ? annotationsRoot : path.join(annotationsRoot, resolution)
  const names = await subfolders(imagesDir)
  if (names.length === 0) throw invalid(`${imagesDir}: no sequence folders`)
  const sequences: DavisSequenceFolder[] = []
  for (const name of names) {
    const frameNames = (await files(path.join(imagesDir, name))).filter(hasImageExtension)
    if (frameNames.length === 0) throw invalid(`${path.join(imagesDir, name)}: no frames`)
    const annotationDir = path.join(annotationsDir, name)
    if (!(await isDirectory(annotationDir))) throw invalid(`${annotationDir}: missing; every sequence of JPEGImages/ needs its Annotations folder`)
    const masks = new Set((await files(annotationDir)).filter((file) => path.extname(file).toLowerCase() === '.png'))
    sequences.push({
      name,
      frames: frameNames.map((frame) => {
        const mask = `${path.parse(frame).name}.png`
        return { image: path.join(imagesDir, name, frame), annotation: masks.has(mask) ? path.join(annotationDir, mask) : null }
      }),
    })
  }
  return { root, resolution, sequences }
}

/** The object id of every pixel of a DAVIS annotation: palette indices, or the DAVIS colours of a PNG without palette. */
export async function readDavisAnnotation(file: string): Promise<DavisAnnotation> {
  let bytes: Buffer
  try {
    bytes = await readFile(file)
  } catch (error) {
    throw invalid(`${file}: cannot read (${error instanceof Error ? error.message : String(error)})`)
  }
  let indexed
  try {
    indexed = isPng(bytes) ? decodePaletteIndices(bytes) : null
  } catch (error) {
    throw invalid(`${file}: not a readable PNG (${error instanceof Error ? error.message : String(error)})`)
  }
  if (indexed) return { width: indexed.width, height: indexed.height, ids: indexed.indices }
  const { data, info } = await sharp(bytes)
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw invalid(`${file}: not a readable image (${error instanceof Error ? error.message : String(error)})`)
    })
  const pixels = info.width * info.height
  const ids = new Uint8Array(pixels)
  for (let p = 0; p < pixels; p++) {
    const o = p * info.channels
    const rgb = (data[o]! << 16) | (data[o + 1]! << 8) | data[o + 2]!
    const id = davisIdOfColour(rgb)
    if (id === undefined) throw invalid(`${file}: pixel (${p % info.width}, ${Math.floor(p / info.width)}) has colour ${rgb.toString(16).padStart(6, '0')}, not in the DAVIS palette`)
    ids[p] = id
  }
  return { width: info.width, height: info.height, ids }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const isPng = (bytes: Uint8Array): boolean => PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)
