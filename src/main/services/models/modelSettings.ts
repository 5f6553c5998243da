/**
 * The per-machine model settings (selected model, execution provider), one small JSON file
 * written atomically. A missing file means the defaults; a damaged one is reported and replaced
 * by the defaults on the next save rather than stopping the studio.
 */
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { DEFAULT_MODEL_SETTINGS, modelSettingsSchema, type ModelSettings } from '../../../common/models/records'
import { parseJsonRecord } from '../../../common/util/jsonRecord'
import { writeJsonAtomic } from '../fs/atomicWrite'

export async function readModelSettings(file: string): Promise<{ settings: ModelSettings; problem: string | null }> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: DEFAULT_MODEL_SETTINGS, problem: null }
    return { settings: DEFAULT_MODEL_SETTINGS, problem: `${file}: cannot read (${error instanceof Error ? error.message : String(error)}); using the defaults` }
  }
  try {
    return { settings: parseJsonRecord(modelSettingsSchema, text, file), problem: null }
  } catch (error) {
    return { settings: DEFAULT_MODEL_SETTINGS, problem: `${error instanceof Error ? error.message : String(error)}; using the defaults` }
  }
}

export async function writeModelSettings(file: string, settings: ModelSettings): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  await writeJsonAtomic(file, modelSettingsSchema.parse(settings))
}
