/** A project holding a synthetic frame sequence (src/common/synthetic/sequence) with its ground truth. */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import type { BinaryMask } from '../../src/common/mask'
import { generateSequence, type SequenceOptions } from '../../src/common/synthetic/sequence'
import type { Project, SequenceRecord } from '../../src/main/services/store'

/** Writes the frames as 00000.png, 00001.png... and returns the ground truth of the first target per frame. */
export async function writeSequenceFrames(dir: string, options: Partial<SequenceOptions> = {}): Promise<{ files: string[]; truth: BinaryMask[] }> {
  const sequence = generateSequence(options)
  const { width, height } = sequence
  mkdirSync(dir, { recursive: true })
  const files: string[] = []
  for (const [i, frame] of sequence.frames.entries()) {
    const file = path.join(dir, `${String(i).padStart(5, '0')}.png`)
    await sharp(frame.rgb, { raw: { width, height, channels: 3 } }).png().toFile(file)
    files.push(file)
  }
  return { files, truth: sequence.frames.map((frame) => ({ width, height, data: frame.masks[0]! })) }
}

/** Makes the project's images (named like writeSequenceFrames' files) one sequence in name order. */
export function sequenceOfImages(project: Project, name: string, fps: number | null = 10): { sequence: SequenceRecord; imageIds: number[] } {
  const images = project.images.page({ offset: 0, limit: 1000, order: 'name' }).items
  const imageIds = images.map((image) => image.id)
  const sequence = project.sequences.create({ name, source: 'frames', fps }, imageIds.map((imageId, frameIndex) => ({ imageId, frameIndex })))
  return { sequence, imageIds }
}
