/** SHA-256 of a file's bytes (hex), streamed: the image key of the embedding caches. */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256')
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  } catch (error) {
    throw new Error(`${file}: cannot read (${error instanceof Error ? error.message : String(error)})`)
  }
  return hash.digest('hex')
}
