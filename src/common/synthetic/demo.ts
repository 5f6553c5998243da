/**
 * The bundled demo project's photos (resources/demo/images, written by `npm run gen:demo`): one
 * multi-part object from the synthetic generator in twelve scenes, two without it and one with
 * two of it. Tests re-render the scenes to know where the object is.
 */
import { generateDatasetSpec, renderSyntheticImage, type SyntheticImageSpec, type SyntheticObject } from './dataset'
import { seedFor } from './random'
import type { RenderedScene } from './scene'

/** An object the toy model segments well (see the eval report): parts of related colours. */
const OBJECT_SEED = 20231
const OBJECT_INDEX = 19
const COUNTS: readonly (0 | 1 | 2)[] = [1, 1, 1, 2, 1, 0, 1, 1, 1, 0, 1, 1]

export interface DemoPhoto {
  readonly fileName: string
  readonly spec: SyntheticImageSpec
}

export function demoObject(): SyntheticObject {
  return generateDatasetSpec({ seed: OBJECT_SEED, objectCount: OBJECT_INDEX + 1 })[OBJECT_INDEX]!
}

export function demoPhotos(): DemoPhoto[] {
  return COUNTS.map((instanceCount, i) => {
    const portrait = i % 3 === 2
    const spec: SyntheticImageSpec = {
      index: String(i).padStart(2, '0'),
      width: portrait ? 600 : 800,
      height: portrait ? 800 : 600,
      instanceCount,
      seed: seedFor(OBJECT_SEED, `demo/${i}`),
    }
    return { fileName: `photo-${spec.index}.jpg`, spec }
  })
}

export function renderDemoPhoto(photo: DemoPhoto, object: SyntheticObject = demoObject()): RenderedScene {
  return renderSyntheticImage(object, photo.spec)
}
