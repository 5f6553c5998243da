/**
 * Where the studio keeps per-user state outside projects: recent projects, settings, installed
 * models, the demo project. Electron passes app.getPath('userData'); elsewhere STUDIO_DATA_DIR,
 * then the platform's usual place.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): string {
  if (env.STUDIO_DATA_DIR) return path.resolve(env.STUDIO_DATA_DIR)
  const home = os.homedir()
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'PerSAM Studio')
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'PerSAM Studio')
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'persam-studio')
}

/** Reads a JSON file, or returns `fallback` when it is missing or unreadable (never throws). */
export async function readJsonFile<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T
  } catch {
    return fallback
  }
}

/** Writes a JSON file atomically (temporary file, then rename). */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const temporary = `${file}.tmp-${process.pid}-${Date.now()}`
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`)
  await rename(temporary, file)
}
