/**
 * `npm run gen:replica-decoder`: writes the structural SAM decoder replica to
 * test/fixtures/sam-replica/decoder.onnx (see its README). Deterministic: a test regenerates it
 * and compares bytes. `--full` writes a full-width variant (SAM's own widths, about 16 MB) to the
 * path given after it instead, for manual inspection; it is never committed.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { REPLICA_DIR, REPLICA_FILE, SAM_WIDTHS } from './sam-replica/config'
import { replicaDecoderBytes } from './sam-replica/files'

const fullIndex = process.argv.indexOf('--full')
const full = fullIndex >= 0
const file = full ? path.resolve(process.argv[fullIndex + 1] ?? 'sam-replica-full.onnx') : path.resolve(REPLICA_DIR, REPLICA_FILE)
const bytes = replicaDecoderBytes(full ? SAM_WIDTHS : undefined)
mkdirSync(path.dirname(file), { recursive: true })
const temp = `${file}.${process.pid}.tmp`
writeFileSync(temp, bytes)
renameSync(temp, file)
console.log(`${path.relative(process.cwd(), file)}  ${bytes.length} bytes`)
