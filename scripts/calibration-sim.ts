/**
 * Prints the review-queue calibration table: on both synthetic recipes with the toy model, the
 * AUROC of the engine's confidence (the prior) and of the confidence learned from a simulated
 * annotator after 10, 20 and 50 decisions, the precision of "accept all above X" against its
 * estimate, and the absent/present verdicts at the chosen miss rate.
 *
 *   npx tsx scripts/calibration-sim.ts [--objects 24] [--method persam-f] [--cache <dir>]
 *
 * Proposals are cached per recipe in the cache folder (default: the OS temp folder), so the
 * simulation can be re-run without the model.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { SYNTHETIC_RECIPES } from '../src/common/synthetic'
import { formatSimulationTable, simulateAnnotator } from '../src/main/services/evaluation/annotatorSimulation'
import { collectProposals, type CollectedProposal } from '../src/main/services/evaluation/proposalCollection'
import { SamRuntime } from '../src/main/services/sam/samRuntime'
import { writeSyntheticDataset } from '../src/main/services/synthetic/writeSyntheticDataset'

const argument = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(`--${name}`)
  return at >= 0 && process.argv[at + 1] ? process.argv[at + 1]! : fallback
}
const objects = Number(argument('objects', '24'))
const method = argument('method', 'persam-f') as 'persam' | 'persam-f'
const cache = argument('cache', path.join(os.tmpdir(), 'persam-calibration-sim'))

async function proposalsFor(recipe: (typeof SYNTHETIC_RECIPES)[number]): Promise<CollectedProposal[]> {
  const file = path.join(cache, `${recipe}-${objects}-${method}.json`)
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as CollectedProposal[]
  const data = path.join(cache, `${recipe}-${objects}`)
  mkdirSync(data, { recursive: true })
  await writeSyntheticDataset(data, { recipe, objectCount: objects })
  const runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'] })
  try {
    const proposals = await collectProposals(runtime, data, { method }, (done, total) => process.stderr.write(`\r${recipe} ${done}/${total}`))
    process.stderr.write('\n')
    writeFileSync(file, JSON.stringify(proposals))
    return proposals
  } finally {
    await runtime.close()
  }
}

mkdirSync(cache, { recursive: true })
const results = []
for (const recipe of SYNTHETIC_RECIPES) results.push({ recipe, result: simulateAnnotator(await proposalsFor(recipe)) })
console.log(formatSimulationTable(results))
