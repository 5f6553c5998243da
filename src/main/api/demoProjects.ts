/**
 * The bundled demos: the photo demo (resources/demo) and the demo video (resources/demo-sequence),
 * both written by `npm run gen:demo`. Each becomes a project of its own in the data folder whose
 * images root is the bundled (read-only) folder; opening a demo again opens that same project.
 */
import path from 'node:path'
import { importFrameFolder } from '../services/exchange/sequenceImport'
import { importImageFolder } from '../services/exchange/folderImport'
import { readMaskImage } from '../services/images/maskPng'
import { storedMaskFromBinary, type Project } from '../services/store'
import { resourcesDir } from '../services/system/paths'

export type DemoKind = 'photos' | 'sequence'

/** The object the bundled demo photos show (resources/demo). */
export const DEMO_CATEGORY = 'kite'
/** The object the demo video follows (resources/demo-sequence). */
export const DEMO_SEQUENCE_CATEGORY = 'mug'
export const DEMO_SEQUENCE_NAME = 'demo video'
/** Gives the demo video's frames timestamps, as a video's would have. */
export const DEMO_SEQUENCE_FPS = 12

export interface BundledDemo {
  /** The project's folder inside the data folder. */
  readonly dirName: string
  /** The bundled folder that becomes the project's images root. */
  readonly images: () => string
  /** Fills the newly created project from `images`. */
  readonly fill: (project: Project, images: string) => Promise<void>
}

async function fillPhotoDemo(project: Project, images: string): Promise<void> {
  await importImageFolder(project, images)
  project.categories.ensure({ name: DEMO_CATEGORY })
}

/** The frames as one sequence, and frame 0's ground-truth mask as an accepted reference: the user only has to press Track. */
async function fillSequenceDemo(project: Project, frames: string): Promise<void> {
  // Read before anything is written, so a missing mask file fails with nothing imported.
  const mask = storedMaskFromBinary(await readMaskImage(path.join(path.dirname(frames), 'reference-mask.png')))
  const { sequenceId } = await importFrameFolder(project, frames, { name: DEMO_SEQUENCE_NAME, fps: DEMO_SEQUENCE_FPS })
  project.transaction(() => {
    const category = project.categories.ensure({ name: DEMO_SEQUENCE_CATEGORY })
    const first = project.sequences.frames(sequenceId)[0]!
    const ids = project.annotations.importMany([{ imageId: first.imageId, categoryId: category.id, mask, status: 'accepted', source: 'manual' }])
    project.references.importReferences(ids)
  })
}

export const BUNDLED_DEMOS: Readonly<Record<DemoKind, BundledDemo>> = {
  photos: { dirName: 'demo-project', images: () => path.join(resourcesDir(), 'demo', 'images'), fill: fillPhotoDemo },
  sequence: { dirName: 'demo-video-project', images: () => path.join(resourcesDir(), 'demo-sequence', 'frames'), fill: fillSequenceDemo },
}
