/**
 * Reads a PerSeg-layout folder: Images/<object>/NN.jpg and Annotations/<object>/NN.png, paired by
 * file stem; "00" is the one-shot reference. A manifest.json written by the synthetic generator,
 * when present, adds instance counts.
 */
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff'])

export interface PersegImage {
  readonly stem: string
  readonly imageFile: string
  readonly maskFile: string
  /** From manifest.json when present. */
  readonly instanceCount: number | null
}

export interface PersegObject {
  readonly name: string
  readonly reference: PersegImage
  readonly tests: readonly PersegImage[]
  readonly partsDifferInColour: boolean | null
}

interface SyntheticManifestLike {
  readonly objects?: readonly { name: string; partsDifferInColour?: boolean; images: readonly { file: string; instanceCount: number }[] }[]
}

export interface PersegDataset {
  readonly objects: PersegObject[]
  /** Objects that cannot be evaluated (no reference, a mask without its image), and why. */
  readonly skipped: { readonly name: string; readonly reason: string }[]
}

export async function readPersegDataset(root: string, referenceStem = '00'): Promise<PersegDataset> {
  const annotationsDir = path.join(root, 'Annotations')
  const imagesDir = path.join(root, 'Images')
  if (!existsSync(annotationsDir) || !existsSync(imagesDir)) {
    throw new Error(`${root}: not a PerSeg folder (expected Images/<object>/ and Annotations/<object>/)`)
  }
  const manifestFile = path.join(root, 'manifest.json')
  const manifest = existsSync(manifestFile) ? (JSON.parse(await readFile(manifestFile, 'utf8')) as SyntheticManifestLike) : null
  const objects: PersegObject[] = []
  const skipped: PersegDataset['skipped'] = []
  const names = (await readdir(annotationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort()
  for (const name of names) {
    try {
      objects.push(await readObject(name))
    } catch (error) {
      skipped.push({ name, reason: error instanceof Error ? error.message : String(error) })
    }
  }
  if (objects.length === 0 && skipped.length === 0) throw new Error(`${annotationsDir}: no object folders`)
  return { objects, skipped }

  async function readObject(name: string): Promise<PersegObject> {
    const byStem = new Map<string, string>()
    for (const file of (await readdir(path.join(imagesDir, name)).catch(() => [])).sort()) {
      if (IMAGE_EXTENSIONS.has(path.extname(file).toLowerCase())) byStem.set(path.parse(file).name, path.join(imagesDir, name, file))
    }
    const entry = manifest?.objects?.find((o) => o.name === name)
    const images: PersegImage[] = []
    for (const maskName of (await readdir(path.join(annotationsDir, name))).sort()) {
      if (path.extname(maskName).toLowerCase() !== '.png') continue
      const stem = path.parse(maskName).name
      const imageFile = byStem.get(stem)
      if (!imageFile) throw new Error(`${path.join(annotationsDir, name, maskName)}: no image ${stem}.* in ${path.join(imagesDir, name)}`)
      const counted = entry?.images.find((image) => path.parse(image.file).name === stem)
      images.push({ stem, imageFile, maskFile: path.join(annotationsDir, name, maskName), instanceCount: counted?.instanceCount ?? null })
    }
    const reference = images.find((image) => image.stem === referenceStem)
    if (!reference) throw new Error(`${path.join(annotationsDir, name)}: no reference mask ${referenceStem}.png`)
    return {
      name,
      reference,
      tests: images.filter((image) => image !== reference),
      partsDifferInColour: entry?.partsDifferInColour ?? null,
    }
  }
}
