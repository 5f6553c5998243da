/**
 * The studio API's DAVIS and YouTube-VIS exchange: exchange:detect recognises a DAVIS folder,
 * project:create imports it (sequences, frame order, masks) in its import job, exchange:import
 * refuses it a second time (the sequences exist), and exchange:export writes YouTube-VIS and DAVIS.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStudioCore, type StudioCore } from '../../../src/main/api/studioCore'
import { exportDavis } from '../../../src/main/services/exchange/davis/davisExport'
import { buildSequenceProject } from '../services/exchange/davis/sequenceFixture'
import { inProcessClient, waitForJob } from './workflowClients'

let core: StudioCore
let dataDir: string

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'davis-api-'))
  core = await createStudioCore({ host: 'browser', dataDir, log: () => {} })
})
afterAll(() => core.close())

describe('DAVIS exchange through the studio API', () => {
  it('detects a DAVIS folder, makes a project of it, and exports its sequences', async () => {
    const { project, base } = await buildSequenceProject()
    const davis = path.join(base, 'davis')
    await exportDavis(project, davis)
    project.close()
    const api = inProcessClient(core)
    expect(await api.call('exchange:detect', { path: davis })).toEqual({ coco: [], perseg: false, davis: true })

    const created = await api.call('project:create', { imagesRoot: davis, projectDir: path.join(dataDir, 'from-davis'), importAnnotations: { format: 'davis', path: davis } })
    const job = await waitForJob(api, created.importJob.id)
    expect(job.state).toBe('done')
    expect(job.report).toMatchObject({ imported: { images: 5, annotations: 6, categories: 2 } })
    const sequences = await api.call('sequence:list', {})
    expect(sequences.map((s) => [s.name, s.frameCount])).toEqual([
      ['swim', 2],
      ['walk', 3],
    ])
    const annotations = await api.call('annotation:list', { statuses: ['accepted'], order: 'image' })
    expect(annotations.items).toHaveLength(6)

    // A second import of the same folder would duplicate the sequences: refused, the job names why.
    const again = await waitForJob(api, (await api.call('exchange:import', { format: 'davis', path: davis })).id)
    expect(again.state).toBe('failed')
    expect(again.error?.message).toMatch(/already has a sequence named "swim"/)

    const ytvis = path.join(base, 'out', 'ytvis.json')
    expect((await waitForJob(api, (await api.call('exchange:export', { format: 'youtube-vis', path: ytvis })).id)).state).toBe('done')
    expect(JSON.parse(readFileSync(ytvis, 'utf8')).annotations).toHaveLength(4)
    const davisAgain = path.join(base, 'out', 'davis')
    expect((await waitForJob(api, (await api.call('exchange:export', { format: 'davis', path: davisAgain })).id)).state).toBe('done')
    expect(existsSync(path.join(davisAgain, 'Annotations', '480p', 'walk', '00002.png'))).toBe(true)
  }, 60_000)
})
