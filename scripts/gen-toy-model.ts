/**
 * `npm run gen:toy-model`: writes the toy SAM model (encoder, decoder, PerSAM decoder, manifest)
 * to resources/models/toy-sam/. Deterministic: running it twice gives the same bytes, and
 * test/scripts/toyModel.test.ts checks the committed files against a fresh generation.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { TOY_MODEL_DIR, toyModelFiles } from './toy-sam/files'

const dir = path.resolve(TOY_MODEL_DIR)
mkdirSync(dir, { recursive: true })
for (const [name, bytes] of toyModelFiles()) {
  const file = path.join(dir, name)
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, bytes)
  renameSync(temp, file)
  console.log(`${path.relative(process.cwd(), file)}  ${bytes.length} bytes`)
}
