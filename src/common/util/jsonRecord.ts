/**
 * JSON text checked against a zod schema, with errors that name the file and every bad field:
 * `where: not valid JSON (...)` or `where: [invalid <what>: ]path: message; ...`.
 */
import type { z } from 'zod'

export function parseJsonRecord<T>(schema: z.ZodType<T>, text: string, where: string, what?: string): T {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new Error(`${where}: not valid JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    throw new Error(`${where}: ${what ? `invalid ${what}: ` : ''}${issues.join('; ')}`)
  }
  return parsed.data
}
