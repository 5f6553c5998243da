/** Small JSON files in the studio's data folder (see models/modelPaths.ts studioDataDir). */
import { mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { writeJsonAtomic } from '../fs/atomicWrite'

/** Reads a JSON file, or returns `fallback` when it is missing or unreadable (never throws). */
export async function readJsonFile<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T
  } catch {
    return fallback
  }
}

/** Writes a JSON file atomically, creating its folder. */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  await writeJsonAtomic(file, value)
}
