import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message)
}

// A schema migration must touch src/main/services/store only: nothing else may reach SQLite.
describe('SQL stays in the store (npm run lint)', () => {
  const outside = ['src/main/services/exchange/coco/probe.ts', 'src/main/api/probe.ts', 'src/cli/probe.ts', 'src/main/electron/probe.ts']

  it('rejects better-sqlite3 and the store internals outside the store', async () => {
    for (const file of outside) {
      for (const source of [
        "import Database from 'better-sqlite3'\nexport const x = Database\n",
        "import { statement } from '../../store/connection'\nexport const x = statement\n",
        "import { openConnection } from '../services/store/connection'\nexport const x = openConnection\n",
        "import { MIGRATIONS } from '../../store/migrations/index'\nexport const x = MIGRATIONS\n",
      ]) {
        expect(await ruleIdsFor(file, source), `${file}: ${source}`).toContain('no-restricted-imports')
      }
    }
  })

  it('rejects the raw connection, the SQL-level insert and SQL text outside the store', async () => {
    for (const file of outside) {
      for (const source of [
        "import type { Project } from '../../store/index'\nexport const f = (p: Project) => p.db\n",
        "import type { Project } from '../../store/index'\nexport const f = (p: Project) => p.annotations.importSelect('x')\n",
        "export const q = 'SELECT id FROM images'\n",
        "export const q = \"  INSERT INTO annotations VALUES (1)\"\n",
        'export const q = (t: string) => `\n  DELETE FROM ${t} WHERE id = ?`\n',
        "export const q = 'DROP TABLE IF EXISTS temp.staged'\n",
      ]) {
        expect(await ruleIdsFor(file, source), `${file}: ${source}`).toContain('no-restricted-syntax')
      }
    }
  })

  it('accepts the store index outside the store, and SQL inside it', async () => {
    expect(
      await ruleIdsFor(
        'src/main/services/exchange/coco/probe.ts',
        "import type { Project } from '../../store/index'\nexport const f = (p: Project) => p.images.count()\nexport const m = 'Select a folder'\n",
      ),
    ).toEqual([])
    expect(await ruleIdsFor('src/main/services/store/probe.ts', "import { statement } from './connection'\nexport const q = 'SELECT 1 FROM images'\nexport const s = statement\n")).toEqual([])
  })
})
