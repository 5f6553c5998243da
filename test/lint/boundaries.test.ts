import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function ruleIdsFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message)
}

describe('layer boundaries (npm run lint)', () => {
  it('rejects Node, Electron, React and onnxruntime imports in src/common', async () => {
    for (const source of [
      "import fs from 'node:fs'",
      "import path from 'path'",
      "import { ipcMain } from 'electron'",
      "import * as ort from 'onnxruntime-node'",
      "import { useState } from 'react'",
      "import Konva from 'konva'",
      "import Database from 'better-sqlite3'",
      "import { readAppInfo } from '../main/services/system/appInfo'",
    ]) {
      const ids = await ruleIdsFor('src/common/mask/probe.ts', `${source}\nexport const probe = 1\n`)
      expect(ids, source).toContain('no-restricted-imports')
    }
  })

  it('rejects DOM globals in src/common', async () => {
    const ids = await ruleIdsFor('src/common/mask/probe.ts', 'export const width = window.innerWidth\n')
    expect(ids).toContain('no-restricted-globals')
  })

  it('rejects Node and Electron in the renderer and Electron in services', async () => {
    expect(await ruleIdsFor('src/renderer/src/ui/Probe.tsx', "import fs from 'node:fs'\nexport const x = fs\n")).toContain(
      'no-restricted-imports',
    )
    expect(await ruleIdsFor('src/renderer/src/ui/Probe.tsx', "import { ipcRenderer } from 'electron'\nexport const x = ipcRenderer\n")).toContain(
      'no-restricted-imports',
    )
    expect(await ruleIdsFor('src/main/services/probe.ts', "import { app } from 'electron'\nexport const x = app\n")).toContain(
      'no-restricted-imports',
    )
  })

  it('keeps the browser-mode server out of the desktop app', async () => {
    for (const source of ["import { serveStatic } from '../server/staticFiles'", "import { startStudioServer } from '../server/server'"]) {
      expect(await ruleIdsFor('src/main/electron/probe.ts', `${source}\nexport const x = 1\n`), source).toContain('no-restricted-imports')
    }
    expect(await ruleIdsFor('src/main/electron/probe.ts', "import { resolveStaticPath } from '../services/web/staticFiles'\nexport const x = resolveStaticPath\n")).toEqual([])
  })

  it('accepts the same imports where they belong', async () => {
    expect(await ruleIdsFor('src/main/electron/probe.ts', "import { app } from 'electron'\nexport const x = app\n")).toEqual([])
    expect(await ruleIdsFor('src/main/services/probe.ts', "import fs from 'node:fs'\nexport const x = fs\n")).toEqual([])
    expect(await ruleIdsFor('src/common/mask/probe.ts', "import { ok } from '../ipc/result'\nexport const x = ok\n")).toEqual([])
  })
})

describe('import direction inside src/main (api -> services -> services/store)', () => {
  const source = (from: string) => `import { probe } from '${from}'\nexport const x = probe\n`

  it('rejects services importing the api, the server, Electron code or the CLI', async () => {
    for (const [file, from] of [
      ['src/main/services/jobs/probe.ts', '../../api/context'],
      ['src/main/services/onnx/persamify/probe.ts', '../../../api/handlers'],
      ['src/main/services/media/probe.ts', '../../server/server'],
      ['src/main/services/system/probe.ts', '../../electron/dialogs'],
      ['src/main/services/exchange/probe.ts', '../../../cli/index'],
      ['src/main/services/store/probe.ts', '../../api/dto'],
    ]) {
      expect(await ruleIdsFor(file!, source(from!)), `${file} <- ${from}`).toContain('no-restricted-imports')
    }
  })

  it('rejects the api importing its hosts', async () => {
    expect(await ruleIdsFor('src/main/api/probe.ts', source('../server/server'))).toContain('no-restricted-imports')
    expect(await ruleIdsFor('src/main/api/handlers/probe.ts', source('../../electron/dialogs'))).toContain('no-restricted-imports')
  })

  it('rejects the store importing other services', async () => {
    expect(await ruleIdsFor('src/main/services/store/probe.ts', source('../images/probe'))).toContain('no-restricted-imports')
    expect(await ruleIdsFor('src/main/services/store/migrations/probe.ts', source('../../exchange/report'))).toContain('no-restricted-imports')
    expect(await ruleIdsFor('src/main/services/store/probe.ts', source('../../security/csp'))).toContain('no-restricted-imports')
  })

  it('accepts the forward direction and the store reaching src/common or itself', async () => {
    expect(await ruleIdsFor('src/main/api/probe.ts', source('../services/store/index'))).toEqual([])
    expect(await ruleIdsFor('src/main/services/jobs/probe.ts', source('../store/index'))).toEqual([])
    expect(await ruleIdsFor('src/main/services/sam/probe.ts', source('../../../common/sam/port'))).toEqual([])
    expect(await ruleIdsFor('src/main/services/store/probe.ts', source('../../../common/sam/port'))).toEqual([])
    expect(await ruleIdsFor('src/main/services/store/probe.ts', source('./connection'))).toEqual([])
    expect(await ruleIdsFor('src/main/services/store/migrations/probe.ts', source('../connection'))).toEqual([])
    expect(await ruleIdsFor('src/main/services/store/migrations/probe.ts', source('../../../../common/mask/index'))).toEqual([])
    expect(await ruleIdsFor('src/main/server/probe.ts', source('../api/context'))).toEqual([])
  })
})
