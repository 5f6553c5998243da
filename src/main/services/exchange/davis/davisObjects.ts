/**
 * objects.json beside JPEGImages/ and Annotations/: what each DAVIS object id stands for, so an
 * import restores category names (DAVIS itself only numbers objects). Per sequence folder: the
 * sequence's name and, per object id, its category and its tracking object id (null when the
 * object is the category). `categories` lists the exported categories in project order, so an
 * import creates them in the same order and a re-export numbers the objects the same way.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { StudioError, formatPath } from '../../../../common/ipc/result'

export const DAVIS_OBJECTS_FILE = 'objects.json'

const davisObjectSchema = z
  .object({
    id: z.number().int().min(1).max(255),
    category: z.string().min(1),
    objectId: z.string().nullable().optional(),
  })
  .loose()

export const davisObjectsSchema = z
  .object({
    categories: z.array(z.object({ name: z.string().min(1), supercategory: z.string().nullable().optional() }).loose()).optional(),
    sequences: z.record(z.string(), z.object({ name: z.string().min(1).optional(), objects: z.array(davisObjectSchema) }).loose()),
  })
  .loose()

export type DavisObjects = z.infer<typeof davisObjectsSchema>
export type DavisObject = z.infer<typeof davisObjectSchema>

/** The mapping of a DAVIS folder, null when it has none; a malformed file is refused naming the JSON path. */
export async function readDavisObjects(root: string): Promise<DavisObjects | null> {
  const file = path.join(root, DAVIS_OBJECTS_FILE)
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null
    throw new StudioError('invalid-input', `${file}: cannot read (${error.message})`)
  })
  if (text === null) return null
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new StudioError('invalid-input', `${file}: not JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  const parsed = davisObjectsSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new StudioError('invalid-input', `${file}: ${formatPath(issue.path)}: ${issue.message}`)
  }
  for (const [folder, sequence] of Object.entries(parsed.data.sequences)) {
    const seen = new Set<number>()
    sequence.objects.forEach((object, i) => {
      if (seen.has(object.id)) throw new StudioError('invalid-input', `${file}: ${formatPath(['sequences', folder, 'objects', i, 'id'])}: object id ${object.id} is listed twice`)
      seen.add(object.id)
    })
  }
  return parsed.data
}
