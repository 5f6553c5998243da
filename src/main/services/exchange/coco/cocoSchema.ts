/**
 * What a COCO instance-segmentation file must contain, record by record (zod). Segmentations are
 * checked by the mask core (polygons, RLE), whose errors name the field; everything else here.
 * Unknown keys are allowed (info, licenses and tool-specific extras are common and harmless).
 */
import { z } from 'zod'
import { formatPath } from '../../../../common/ipc/result'

/** Largest image side accepted in a COCO file (sizes must match the images anyway). */
export const MAX_COCO_SIDE = 100_000

const integer = z.number().int({
  error: (issue) =>
    issue.code === 'too_big' ? `must be at most ${Number.MAX_SAFE_INTEGER} (2^53 - 1)` : typeof issue.input === 'number' && Number.isFinite(issue.input) ? 'must be an integer' : undefined,
})
const cocoId = integer.min(0)
const side = integer.min(1).max(MAX_COCO_SIDE)

export const cocoImageSchema = z.looseObject({
  id: cocoId,
  file_name: z.string().min(1).max(4096),
  width: side,
  height: side,
})

export const cocoCategorySchema = z.looseObject({
  id: cocoId,
  name: z.string().trim().min(1).max(200),
  supercategory: z.string().max(200).nullish(),
})

export const cocoAnnotationSchema = z.looseObject({
  id: cocoId.optional(),
  image_id: cocoId,
  category_id: cocoId,
  segmentation: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())], { error: 'must be a list of polygons or an RLE object {size, counts}' }),
  iscrowd: z.union([z.literal(0), z.literal(1)], { error: 'must be 0 or 1' }).optional(),
  area: z.number().min(0).optional(),
  bbox: z.array(z.number()).length(4).optional(),
  score: z.number().min(0).max(1).optional(),
})

export type CocoImage = z.infer<typeof cocoImageSchema>
export type CocoCategory = z.infer<typeof cocoCategorySchema>
export type CocoAnnotation = z.infer<typeof cocoAnnotationSchema>

/**
 * A mask-core error as an issue: its message starts with the field it was given
 * (`annotations[3].segmentation[0][5] must be ...`), which becomes the path.
 */
export function maskIssue(field: string, message: string): CocoIssue {
  if (!message.startsWith(field)) return { path: field, message }
  const match = /^((?:\[\d+\]|\.[A-Za-z_]+)*)\s+(.*)$/s.exec(message.slice(field.length))
  return match ? { path: field + match[1], message: match[2]! } : { path: field, message }
}

export interface CocoIssue {
  readonly path: string
  readonly message: string
}

/** Parses `value` or returns its issues, each with the full JSON path (`annotations[12].image_id`). */
export function parseRecord<T>(schema: z.ZodType<T>, value: unknown, base: readonly (string | number)[]): { value: T } | { issues: CocoIssue[] } {
  const result = schema.safeParse(value)
  if (result.success) return { value: result.data }
  return {
    issues: result.error.issues.map((issue) => ({
      path: formatPath([...base, ...(issue.path as (string | number)[])]),
      message: issue.message.endsWith('received undefined') ? 'required key is missing' : issue.message,
    })),
  }
}
