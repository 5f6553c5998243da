/**
 * `persam-studio models persamify <model-folder-or-id>`: converts the model's official-export
 * decoder into the PerSAM decoder (decoder-persam.onnx next to it, recorded in manifest.json).
 * Exit code 1 when the decoder cannot be converted (the message names what was not found).
 */
import path from 'node:path'
import { Command } from 'commander'
import { persamifyModelFolder, type PersamifyFolderResult } from '../main/services/onnx/persamify/modelFolder'
import { resolveModelDir } from './models'
import { action } from './run'

export function describePersamifyResult(dir: string, result: PersamifyFolderResult): string {
  switch (result.status) {
    case 'converted': {
      const { report } = result
      const relative = (file: string) => path.relative(dir, file) || file
      const manifest = result.manifestUpdated ? '; manifest.json updated' : '; no manifest.json, found by name'
      return `converted ${relative(report.inputFile)} -> ${relative(report.outputFile)} (${report.inserted.length} nodes inserted, ${report.rewired.length} inputs rewired, ${report.bytes} bytes${manifest})`
    }
    case 'up-to-date':
      return `up to date: ${path.relative(dir, result.persamDecoder)} was converted from the current decoder`
    case 'not-needed':
      return `nothing to do: ${result.reason}`
    case 'refused':
      return `cannot convert: ${result.reason}\nPerSAM will use the standard decoder for its first call (no target-guided attention or target-semantic prompt).`
  }
}

export async function runPersamify(model: string): Promise<void> {
  const result = await persamifyModelFolder(model)
  const message = describePersamifyResult(model, result)
  if (result.status === 'refused') {
    process.stderr.write(`error: ${message}\n`)
    process.exitCode = 1
  } else {
    process.stdout.write(`${message}\n`)
  }
}

/** `models persamify` (added by modelsCommand). */
export function persamifyCommand(): Command {
  return new Command('persamify')
    .description("convert the model's official-export SAM decoder into the PerSAM decoder (attn_sim, target_embedding inputs)")
    .argument('<model>', 'model folder or installed model id', resolveModelDir)
    .action(action((model: string) => runPersamify(model)))
}
