/**
 * Whether propagation goes to queue workers: `queue.json` in the data folder
 * ({"url": "redis://HOST:PORT", "imageServer": {"host": "10.0.0.5", "port": 7801}}), or the
 * PERSAM_QUEUE_URL environment variable (which wins over the file's url). Neither: everything runs
 * in process, as without a queue.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { z } from 'zod'
import { parseJsonRecord } from '../../../common/util/jsonRecord'

export const QUEUE_SETTINGS_FILE = 'queue.json'
export const QUEUE_URL_ENV = 'PERSAM_QUEUE_URL'

const redisUrl = z.string().regex(/^rediss?:\/\/[^/\s]+/, 'expected redis://HOST:PORT')

const queueSettingsSchema = z
  .object({
    url: redisUrl.optional(),
    /** Serve images to workers over HTTP (no shared storage); the address workers can reach. */
    imageServer: z
      .object({ host: z.string().min(1), port: z.number().int().min(0).max(65535), publicUrl: z.string().url().optional() })
      .strict()
      .nullable()
      .default(null),
  })
  .strict()

export interface QueueSettings {
  readonly url: string
  readonly imageServer: { readonly host: string; readonly port: number; readonly publicUrl?: string | undefined } | null
}

/** The queue to use, or null for in-process propagation. A bad file or variable is an error naming it. */
export async function readQueueSettings(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<QueueSettings | null> {
  const file = path.join(dataDir, QUEUE_SETTINGS_FILE)
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null
    throw new Error(`${file}: cannot read (${error.message})`)
  })
  const settings = text === null ? { imageServer: null } : parseJsonRecord(queueSettingsSchema, text, file)
  const fromEnv = env[QUEUE_URL_ENV]
  if (fromEnv !== undefined && fromEnv !== '' && !redisUrl.safeParse(fromEnv).success) throw new Error(`${QUEUE_URL_ENV}: "${fromEnv}" is not redis://HOST:PORT`)
  const url = fromEnv || settings.url
  return url ? { url, imageServer: settings.imageServer } : null
}
