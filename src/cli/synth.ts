/** `persam-studio synth`: writes the seeded synthetic PerSeg-like dataset used by tests, benchmarks and `eval`. */
import { Command, InvalidArgumentError } from 'commander'
import { prepareOutputFolder } from '../main/services/fs/outputPath'
import { SYNTHETIC_RECIPES, type SyntheticRecipe } from '../common/synthetic'
import { writeSyntheticDataset } from '../main/services/synthetic/writeSyntheticDataset'
import { integerIn } from './options'
import { createProgressBar } from './progress'
import { action } from './run'

export interface SynthOptions {
  readonly out: string
  readonly seed: number
  readonly objects: number
  readonly recipe?: SyntheticRecipe
}

export async function runSynth(options: SynthOptions): Promise<void> {
  const out = await prepareOutputFolder(options.out, '--out')
  const progress = createProgressBar('rendering')
  const manifest = await writeSyntheticDataset(out, { seed: options.seed, objectCount: options.objects, ...(options.recipe ? { recipe: options.recipe } : {}) }, (done, total) =>
    progress.update(done, total),
  )
  const images = manifest.objects.reduce((sum, object) => sum + object.images.length, 0)
  progress.finish(`wrote ${manifest.objects.length} objects, ${images} images to ${options.out}`)
}

export function synthCommand(): Command {
  return new Command('synth')
    .description('write the seeded synthetic PerSeg-like dataset (Images/, Annotations/, manifest.json)')
    .requiredOption('-o, --out <dir>', 'output folder')
    .option('--seed <n>', 'random seed', integerIn(0, 2 ** 31 - 1), 20231)
    .option('--objects <n>', 'number of objects', integerIn(1, 500), 24)
    .option('--recipe <name>', `synthetic recipe: ${SYNTHETIC_RECIPES.join(' or ')}`, parseRecipe, 'parts')
    .action(action((options: SynthOptions) => runSynth(options)))
}

function parseRecipe(value: string): SyntheticRecipe {
  const recipe = SYNTHETIC_RECIPES.find((name) => name === value)
  if (!recipe) throw new InvalidArgumentError(`expected ${SYNTHETIC_RECIPES.join(' or ')}`)
  return recipe
}
