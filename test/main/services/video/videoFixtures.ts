/** Real videos made from synthetic frames with the bundled FFmpeg, and pixel comparisons against those frames. */
import path from 'node:path'
import sharp from 'sharp'
import { DEFAULT_SEQUENCE_OPTIONS, generateSequence, type SyntheticSequence } from '../../../../src/common/synthetic/sequence'
import { encodeVideo, type EncodeOptions } from '../../../../src/main/services/video/encode'

export function syntheticFrames(frames: number): SyntheticSequence {
  return generateSequence({ ...DEFAULT_SEQUENCE_OPTIONS, seed: 11, frames })
}

/** Writes `sequence` as `dir/name` (container from the extension) and returns its path. */
export async function makeVideo(dir: string, name: string, sequence: SyntheticSequence, options: Omit<EncodeOptions, 'width' | 'height'>): Promise<string> {
  const file = path.join(dir, name)
  await encodeVideo(
    file,
    sequence.frames.map((frame) => frame.rgb),
    { ...options, width: sequence.width, height: sequence.height },
  )
  return file
}

/** Mean absolute difference per channel value between an image file and an RGB frame. */
export async function meanDifference(file: string, rgb: Uint8Array): Promise<number> {
  const { data } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true })
  let sum = 0
  for (let i = 0; i < rgb.length; i++) sum += Math.abs(data[i]! - rgb[i]!)
  return sum / rgb.length
}

/** The index of the source frame an extracted image looks most like. */
export async function closestSourceFrame(file: string, sequence: SyntheticSequence): Promise<{ index: number; difference: number }> {
  let best = { index: -1, difference: Infinity }
  for (const [index, frame] of sequence.frames.entries()) {
    const difference = await meanDifference(file, frame.rgb)
    if (difference < best.difference) best = { index, difference }
  }
  return best
}
