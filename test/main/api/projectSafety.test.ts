/**
 * Opening projects safely through the studio API: a project another process holds is refused
 * ('locked', naming the holder) and can be opened read-only, where every write is refused and no
 * job is touched; a damaged project file is caught on open and writes are refused naming it; the
 * studio backs a project up on close and restores a backup through project:backups / project:restore.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import os, { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { StudioError } from '../../../src/common/ipc/result'
import { createStudioCore, type StudioCore } from '../../../src/main/api/studioCore'
import { WRITE_CHANNELS } from '../../../src/main/api/writeGuard'
import { Project } from '../../../src/main/services/store/index'
import { corruptMiddle, projectWithAnnotations } from '../services/store/damage'
import { inProcessClient, type StudioClient } from './workflowClients'

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'services', 'store', 'crash', 'child.ts')

async function failure(call: Promise<unknown>): Promise<StudioError> {
  try {
    await call
  } catch (error) {
    if (error instanceof StudioError) return error
    throw error
  }
  throw new Error('the call succeeded')
}

let core: StudioCore
let api: StudioClient
beforeEach(async () => {
  core = await createStudioCore({ host: 'browser', dataDir: mkdtempSync(path.join(tmpdir(), 'safety-')), log: () => {} })
  api = inProcessClient(core)
})
afterEach(async () => {
  await api.close()
  await core.close()
})

describe('a project another process holds', () => {
  it('is refused naming the holder, opens read-only, refuses every write there and leaves its job alone', { timeout: 60_000 }, async () => {
    const dir = projectWithAnnotations(3)
    const setup = Project.open(dir)
    const job = setup.runs.create({ method: 'persam', categoryId: setup.categories.list()[0]!.id, params: {}, imageIds: [...setup.images.iterate()].map((image) => image.id) })
    setup.close()
    const ackFile = path.join(path.dirname(dir), 'acks.txt')
    // The child records half of the job's 40 images, then holds the project with the job running.
    const holder = spawn(process.execPath, ['--import', 'tsx', CHILD, 'hold-job', dir, ackFile, '1'], { stdio: 'ignore' })
    const exited = new Promise((resolve) => holder.on('exit', resolve))
    try {
      await waitFor(() => existsSync(ackFile) && readFileSync(ackFile, 'utf8').includes('holding'), exited)
      const refused = await failure(api.call('project:open', { projectDir: dir }))
      expect(refused.code).toBe('locked')
      expect(refused.message).toContain(`is open in the CLI "crash child hold-job" (pid ${holder.pid} on host ${os.hostname()}) since`)

      const summary = await api.call('project:open', { projectDir: dir, readOnly: true })
      expect(summary.readOnly).toEqual({ reason: 'locked', message: expect.stringContaining(`pid ${holder.pid}`) })
      expect(summary.annotationCount).toBe(3 + 20 * 2) // it reads what the holder has stored so far
      expect((await api.call('image:list', { offset: 0, limit: 5 })).total).toBe(40)
      // Reads never write (a category without a reference set used to get one on listing).
      expect(await api.call('category:list', {})).toEqual([expect.objectContaining({ name: 'mug', referenceCount: 0 })])
      expect((await api.call('image:get', { imageId: 1 })).annotations).toHaveLength(1 + 2)
      const writes = [
        api.call('category:create', { name: 'new' }),
        api.call('annotation:review', { annotationId: 1, action: 'reject' }),
        api.call('history:undo', {}),
        api.call('propagation:start', { categoryId: 1, method: 'persam', scope: 'all' }),
      ]
      for (const write of writes) {
        const error = await failure(write)
        expect(error.code).toBe('read-only')
        expect(error.message).toMatch(new RegExp(`^project project is read-only: it is open in the CLI .*pid ${holder.pid}`))
      }
      expect((await failure(api.call('project:restore', { backup: 'project-20260101-000000.sqlite' }))).code).toBe('locked')
      await api.call('project:close', {})
    } finally {
      holder.kill('SIGKILL')
      await exited
    }
    // The read-only session neither interrupted nor resumed the holder's job, and wrote nothing.
    const after = Project.openReadOnly(dir)
    expect(after.runs.require(job.id)).toMatchObject({ state: 'running', done: 20 })
    expect(after.annotations.forImage(1).map((a) => a.status)).not.toContain('rejected')
    after.close()
  })

  it('guards every channel that writes', () => {
    expect([...WRITE_CHANNELS].sort()).toEqual(
      [
        'annotation:markImageAbsent',
        'annotation:review',
        'annotation:setCategory',
        'annotation:setReference',
        'annotation:stroke',
        'calibration:acceptAll',
        'calibration:histogram',
        'category:create',
        'category:delete',
        'category:update',
        'exchange:import',
        'history:redo',
        'history:undo',
        'propagation:start',
        'segment:commit',
        'sequence:importFrames',
        'sequence:importVideo',
      ].sort(),
    )
  })
})

describe('a damaged project file', () => {
  it('is caught on open: writes are refused naming the file; a restore brings back every annotation of the backup', { timeout: 60_000 }, async () => {
    const dir = projectWithAnnotations(300)
    // The studio backs the project up when it closes it.
    await api.call('project:open', { projectDir: dir })
    await api.call('project:close', {})
    const backups = await api.call('project:backups', { projectDir: dir })
    expect(backups).toHaveLength(1)
    expect(backups[0]).toMatchObject({ annotationCount: 300, imageCount: 40, beforeRestore: false })

    const file = path.join(dir, 'project.sqlite')
    corruptMiddle(file)
    // These pages hold annotation rows, not the schema: the project opens, and the check catches it.
    await api.call('project:open', { projectDir: dir })
    const error = await failure(api.call('category:create', { name: 'after-damage' }))
    expect(error.code).toBe('read-only')
    expect(error.message).toContain(`${file} is damaged`)
    expect(error.message).toContain('persam-studio restore')
    expect((await api.call('project:current', {}))?.readOnly?.reason).toBe('damaged')
    // No backup of the damaged file was made when the studio closed it.
    await api.call('project:close', {})
    expect(await api.call('project:backups', { projectDir: dir })).toHaveLength(1)
    await api.call('project:open', { projectDir: dir })

    const { project, previous } = await api.call('project:restore', { projectDir: dir, backup: backups[0]!.name })
    expect(project.readOnly).toBeNull()
    expect(project.annotationCount).toBe(300)
    expect(previous).toMatchObject({ beforeRestore: true })
    // Writable again, and the damaged file is listed as a backup (the restore can be undone).
    await api.call('category:create', { name: 'after-restore' })
    expect((await api.call('project:backups', {})).map((b) => b.name)).toContain(previous!.name)
  })
})

async function waitFor(condition: () => boolean, exited: Promise<unknown>): Promise<void> {
  let gone = false
  void exited.then(() => (gone = true))
  while (!condition()) {
    if (gone) throw new Error('the holder exited early')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
