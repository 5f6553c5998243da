import type { SyntheticRecipe } from '../common/synthetic'
import { writeSyntheticDataset } from '../main/services/synthetic/writeSyntheticDataset'
import { createProgressBar } from './progress'

export interface SynthOptions {
  readonly out: string
  readonly seed: number
  readonly objects: number
  readonly recipe?: SyntheticRecipe
}

/** Writes the seeded synthetic PerSeg-like dataset used by tests, benchmarks and `eval`. */
export async function synth(options: SynthOptions): Promise<void> {
  const progress = createProgressBar('rendering')
  const manifest = await writeSyntheticDataset(options.out, { seed: options.seed, objectCount: options.objects, ...(options.recipe ? { recipe: options.recipe } : {}) }, (done, total) =>
    progress.update(done, total),
  )
  const images = manifest.objects.reduce((sum, object) => sum + object.images.length, 0)
  progress.finish(`wrote ${manifest.objects.length} objects, ${images} images to ${options.out}`)
}
