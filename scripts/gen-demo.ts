/**
 * Writes the bundled demo project's photos (resources/demo/images) from src/common/synthetic/demo.ts.
 * Deterministic; `npm run gen:demo` rewrites the same files.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { demoObject, demoPhotos, renderDemoPhoto } from '../src/common/synthetic'

const OUT = path.resolve('resources/demo')
const object = demoObject()
rmSync(path.join(OUT, 'images'), { recursive: true, force: true })
mkdirSync(path.join(OUT, 'images'), { recursive: true })
const photos = demoPhotos()
for (const photo of photos) {
  const scene = renderDemoPhoto(photo, object)
  await sharp(scene.rgb, { raw: { width: scene.width, height: scene.height, channels: 3 } }).jpeg({ quality: 85, mozjpeg: true }).toFile(path.join(OUT, 'images', photo.fileName))
}
writeFileSync(
  path.join(OUT, 'README.md'),
  `# Demo project

Twelve photos of one object (\`${object.template.name}\` from the synthetic generator), written by
\`npm run gen:demo\` from src/common/synthetic/demo.ts. Two photos do not show it and one shows it
twice. "Open the demo project" creates a project in the user's data folder whose images root is
this folder (read only).
`,
)
console.log(`wrote ${photos.length} photos of ${object.template.name} to ${path.relative(process.cwd(), OUT)}/images`)
