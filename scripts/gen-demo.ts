/**
 * Writes the bundled demos from the synthetic generators; deterministic, `npm run gen:demo` rewrites
 * the same files:
 * - resources/demo/images: the demo project's photos (src/common/synthetic/demo.ts);
 * - resources/demo-sequence: the demo video's frames and the ground-truth mask of its first frame
 *   (src/common/synthetic/sequence.ts), which opening the demo video stores as the reference.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { demoObject, demoPhotos, renderDemoPhoto } from '../src/common/synthetic'
import { generateSequence, type SequenceOptions } from '../src/common/synthetic/sequence'

const JPEG = { quality: 85, mozjpeg: true } as const

async function writeDemoPhotos(): Promise<void> {
  const out = path.resolve('resources/demo')
  const object = demoObject()
  rmSync(path.join(out, 'images'), { recursive: true, force: true })
  mkdirSync(path.join(out, 'images'), { recursive: true })
  const photos = demoPhotos()
  for (const photo of photos) {
    const scene = renderDemoPhoto(photo, object)
    await sharp(scene.rgb, { raw: { width: scene.width, height: scene.height, channels: 3 } }).jpeg(JPEG).toFile(path.join(out, 'images', photo.fileName))
  }
  writeFileSync(
    path.join(out, 'README.md'),
    `# Demo project

Twelve photos of one object (\`${object.template.name}\` from the synthetic generator), written by
\`npm run gen:demo\` from src/common/synthetic/demo.ts. Two photos do not show it and one shows it
twice. "Open the demo project" creates a project in the user's data folder whose images root is
this folder (read only).
`,
  )
  console.log(`wrote ${photos.length} photos of ${object.template.name} to ${path.relative(process.cwd(), out)}/images`)
}

/**
 * One mug that passes behind a post, leaves the frame on the right and comes back, with a
 * look-alike (its shape in shifted colours) drifting nearby: what tracking has to get right.
 */
const DEMO_SEQUENCE: Partial<SequenceOptions> = { seed: 7, width: 320, height: 240, frames: 24, targets: 1, lookAlikes: 1, partDistractors: 2, clutter: 12 }

async function writeDemoSequence(): Promise<void> {
  const out = path.resolve('resources/demo-sequence')
  const sequence = generateSequence(DEMO_SEQUENCE)
  const { width, height } = sequence
  rmSync(path.join(out, 'frames'), { recursive: true, force: true })
  mkdirSync(path.join(out, 'frames'), { recursive: true })
  for (const [i, frame] of sequence.frames.entries()) {
    await sharp(frame.rgb, { raw: { width, height, channels: 3 } }).jpeg(JPEG).toFile(path.join(out, 'frames', `frame-${String(i).padStart(2, '0')}.jpg`))
  }
  const truth = sequence.frames[0]!.masks[0]!
  await sharp(Buffer.from(truth.map((v) => v * 255)), { raw: { width, height, channels: 1 } }).png().toFile(path.join(out, 'reference-mask.png'))
  const hidden = sequence.frames.flatMap((frame, i) => (frame.masks[0]!.some((v) => v === 1) ? [] : [i]))
  writeFileSync(
    path.join(out, 'README.md'),
    `# Demo video

${sequence.frames.length} frames (${width}x${height}, JPEG) of one mug (\`${sequence.templates[0]!.name}\` from the synthetic
generator), written by \`npm run gen:demo\` from src/common/synthetic/sequence.ts. The mug passes
behind a post, is out of view on frames ${hidden.join(', ')}, and comes back; a look-alike drifts
nearby. reference-mask.png is its exact mask on frame 0. "Open the demo video" creates a project in
the user's data folder with these frames as one sequence and that mask as the reference.
`,
  )
  console.log(`wrote ${sequence.frames.length} frames of ${sequence.templates[0]!.name} to ${path.relative(process.cwd(), out)}/frames`)
}

await writeDemoPhotos()
await writeDemoSequence()
