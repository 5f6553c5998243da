/** The recent-projects list, most recent first, kept in the data folder. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { RecentProject } from '../../../common/ipc/dto/project'
import { readJsonFile, writeJsonFile } from './dataDir'

const MAX_RECENT = 20

interface StoredRecent {
  readonly projectDir: string
  readonly name: string
  readonly openedAt: string
}

export class RecentProjects {
  constructor(
    private readonly file: string,
    private readonly projectFile: string,
  ) {}

  async list(): Promise<RecentProject[]> {
    const entries = await readJsonFile<StoredRecent[]>(this.file, [])
    if (!Array.isArray(entries)) return []
    return entries
      .filter((entry) => typeof entry?.projectDir === 'string' && typeof entry.name === 'string')
      .map((entry) => ({ ...entry, available: existsSync(path.join(entry.projectDir, this.projectFile)) }))
  }

  async touch(projectDir: string, name: string, now = new Date()): Promise<void> {
    const entries = (await this.list()).filter((entry) => path.resolve(entry.projectDir) !== path.resolve(projectDir))
    const next: StoredRecent[] = [{ projectDir: path.resolve(projectDir), name, openedAt: now.toISOString() }, ...entries.map(({ available: _, ...rest }) => rest)]
    await writeJsonFile(this.file, next.slice(0, MAX_RECENT))
  }
}
