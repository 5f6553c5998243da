/** A project over the synthetic set with one category, its reference and a propagation job. */
import path from 'node:path'
import { encodeRle } from '../../../../src/common/mask'
import { readMaskImage } from '../../../../src/main/services/images/maskPng'
import { importImageFolder } from '../../../../src/main/services/exchange/folderImport'
import { imagesInScope } from '../../../../src/main/services/propagation/propagationJob'
import { Project, storedMaskFromRle, type PropagationRun } from '../../../../src/main/services/store'
import type { SyntheticManifest } from '../../../../src/main/services/synthetic/writeSyntheticDataset'

export interface PropagationFixture {
  readonly project: Project
  readonly job: PropagationRun
}

export async function projectWithJob(projectDir: string, data: string, manifest: SyntheticManifest): Promise<PropagationFixture> {
  const object = manifest.objects[0]!
  const imagesDir = path.join(data, 'Images', object.name)
  const project = Project.create(projectDir, { imagesRoot: imagesDir })
  await importImageFolder(project, imagesDir)
  const category = project.categories.create({ name: object.name })
  const referenceImage = project.images.page({ offset: 0, limit: 1, order: 'name' }).items[0]!
  const mask = await readMaskImage(path.join(data, object.images[0]!.mask))
  const reference = project.annotations.create({ imageId: referenceImage.id, categoryId: category.id, mask: storedMaskFromRle(encodeRle(mask)), status: 'accepted', source: 'manual' })
  project.references.setReference(reference.id, true)
  const job = project.runs.create({ method: 'persam-f', categoryId: category.id, params: { maxInstances: 2 }, imageIds: imagesInScope(project, category.id, 'all') })
  return { project, job }
}

/** Every stored proposal of the job's category, by image name: mask counts, score, method (JSON). */
export function proposalsByImage(project: Project, categoryId: number): Map<string, string[]> {
  const byImage = new Map<string, string[]>()
  for (let offset = 0; ; offset += 500) {
    const page = project.images.page({ offset, limit: 500, order: 'name' })
    for (const image of page.items) {
      const rows = project.annotations.forImage(image.id, { categoryId }).filter((a) => a.source !== 'manual')
      byImage.set(image.relPath, rows.map((a) => JSON.stringify([a.status, a.mask?.counts ?? null, a.score, a.method])))
    }
    if (page.items.length < 500) break
  }
  return byImage
}
