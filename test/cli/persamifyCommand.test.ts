/** `persam-studio models persamify` end to end (the CLI process, exit codes, messages). */
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { REPLICA_DECODER } from '../helpers/samReplica'
import { useTempDir } from '../helpers/tempDir'

const run = promisify(execFile)
const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args])
const root = useTempDir('persamify-cli-')

function folder(name: string, decoder: string): string {
  const dir = path.join(root, name)
  mkdirSync(dir)
  copyFileSync('resources/models/toy-sam/encoder.onnx', path.join(dir, 'encoder.onnx'))
  copyFileSync(decoder, path.join(dir, 'decoder.onnx'))
  return dir
}

describe('persam-studio models persamify', () => {
  it('converts a model folder, then reports it up to date', async () => {
    const dir = folder('replica', REPLICA_DECODER)
    const first = await cli(['models', 'persamify', dir])
    expect(first.stdout).toMatch(/^converted decoder\.onnx -> decoder-persam\.onnx \(14 nodes inserted, 15 inputs rewired, \d+ bytes; no manifest\.json, found by name\)/)
    const second = await cli(['models', 'persamify', dir])
    expect(second.stdout).toMatch(/^up to date: decoder-persam\.onnx/)
  }, 60_000)

  it('exits with 1 and names what it could not find when the decoder cannot be converted', async () => {
    const dir = folder('toy', 'resources/models/toy-sam/decoder.onnx')
    const failure = await cli(['models', 'persamify', dir]).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    )
    expect(failure?.code).toBe(1)
    expect(failure?.stderr).toMatch(/cannot convert: .*decoder\.onnx: not an official-export SAM decoder graph; could not find:/)
    expect(failure?.stderr).toMatch(/- transformer\/layers\.0\/cross_attn_token_to_image\/Softmax/)
    expect(failure?.stderr).toMatch(/PerSAM will use the standard decoder/)
  }, 60_000)

  it('leaves the bundled toy model (its own PerSAM decoder) untouched', async () => {
    const manifest = readFileSync('resources/models/toy-sam/manifest.json')
    const { stdout } = await cli(['models', 'persamify', 'toy-sam'])
    expect(stdout).toMatch(/^nothing to do: the model has its own PerSAM decoder decoder-persam\.onnx/)
    expect(Buffer.compare(readFileSync('resources/models/toy-sam/manifest.json'), manifest)).toBe(0)
  }, 60_000)
})
