/**
 * A seeded PerSeg-like dataset: a few dozen objects, each in 5-8 photos at different positions,
 * scales and rotations, on cluttered backgrounds with similar-coloured distractors; some photos
 * lack the object, some show it twice. Index 00 (the reference) always shows exactly one.
 */
import { makeArrangementTemplate, renderArrangementScene } from './arrangements'
import { makeObjectTemplate, type ObjectTemplate } from './objects'
import { Random, seedFor } from './random'
import { renderScene, type RenderedScene } from './scene'

/** 'parts': coloured parts, single-colour distractors; 'arrangements': look-alikes made of the same parts, occluders, gradient backgrounds. */
export type SyntheticRecipe = 'parts' | 'arrangements'
export const SYNTHETIC_RECIPES: readonly SyntheticRecipe[] = ['parts', 'arrangements']

export interface SyntheticDatasetOptions {
  readonly recipe: SyntheticRecipe
  readonly seed: number
  readonly objectCount: number
  readonly minImages: number
  readonly maxImages: number
  readonly absentRate: number
  readonly twoInstanceRate: number
  /** Candidate image sizes [width, height]; non-square ones exercise the padding paths. */
  readonly sizes: readonly (readonly [number, number])[]
}

export const DEFAULT_DATASET_OPTIONS: SyntheticDatasetOptions = {
  recipe: 'parts',
  seed: 20231,
  objectCount: 24,
  minImages: 5,
  maxImages: 8,
  absentRate: 0.15,
  twoInstanceRate: 0.15,
  sizes: [
    [512, 512],
    [640, 480],
    [480, 640],
    [576, 576],
  ],
}

export interface SyntheticImageSpec {
  /** Two-digit index, as in PerSeg: 00 is the reference. */
  readonly index: string
  readonly width: number
  readonly height: number
  readonly instanceCount: 0 | 1 | 2
  readonly seed: number
}

export interface SyntheticObject {
  readonly recipe: SyntheticRecipe
  readonly template: ObjectTemplate
  readonly images: readonly SyntheticImageSpec[]
}

export function generateDatasetSpec(options: Partial<SyntheticDatasetOptions> = {}): SyntheticObject[] {
  const config = { ...DEFAULT_DATASET_OPTIONS, ...options }
  const objects: SyntheticObject[] = []
  for (let i = 0; i < config.objectCount; i++) {
    const rng = new Random(seedFor(config.seed, `object-${i}`))
    const template = config.recipe === 'arrangements' ? makeArrangementTemplate(rng, i) : makeObjectTemplate(rng, i, i % 2 === 1)
    const count = rng.int(config.minImages, config.maxImages)
    const images: SyntheticImageSpec[] = []
    for (let k = 0; k < count; k++) {
      const [width, height] = rng.pick(config.sizes)
      const roll = rng.next()
      const instanceCount: 0 | 1 | 2 = k === 0 ? 1 : roll < config.absentRate ? 0 : roll < config.absentRate + config.twoInstanceRate ? 2 : 1
      images.push({ index: String(k).padStart(2, '0'), width, height, instanceCount, seed: seedFor(config.seed, `${template.name}/${k}`) })
    }
    objects.push({ recipe: config.recipe, template, images })
  }
  return objects
}

export function renderSyntheticImage(object: SyntheticObject, image: SyntheticImageSpec): RenderedScene {
  const rng = new Random(image.seed)
  if (object.recipe === 'arrangements') return renderArrangementScene(object.template, image, rng)
  return renderScene(
    object.template,
    {
      width: image.width,
      height: image.height,
      instanceCount: image.instanceCount,
      clutterCount: rng.int(8, 18),
      distractorCount: rng.int(1, 3),
    },
    rng,
  )
}
