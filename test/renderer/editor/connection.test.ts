/**
 * A lost connection is one state, not a notice per failed call; when it comes back the editor
 * reads everything again (what changed meanwhile shows, jobs the core forgot leave the list).
 */
import { describe, expect, it } from 'vitest'
import type { InvokeChannel, RequestOf, ResponseOf } from '../../../src/common/ipc/contract'
import { StudioError } from '../../../src/common/ipc/result'
import type { JobInfo } from '../../../src/common/ipc/types'
import type { ConnectionState } from '../../../src/renderer/src/editor/api'
import { FakeStudio } from '../helpers/fakeStudio'
import { TestEditor } from '../helpers/TestEditor'

/** The fake core behind a transport that can lose it, as the browser-mode transport reports it. */
class DroppingStudio extends FakeStudio {
  down = false
  private readonly connectionListeners = new Set<(state: ConnectionState) => void>()

  override call<C extends InvokeChannel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
    if (this.down) return Promise.reject(new StudioError('disconnected', 'the studio server does not answer; reconnecting'))
    return super.call(channel, request)
  }

  onConnection(listener: (state: ConnectionState) => void): () => void {
    this.connectionListeners.add(listener)
    return () => this.connectionListeners.delete(listener)
  }

  setConnection(state: ConnectionState): void {
    this.down = state !== 'connected'
    for (const listener of this.connectionListeners) listener(state)
  }
}

const orphanJob: JobInfo = {
  id: 'job-from-the-old-server',
  kind: 'propagation',
  state: 'running',
  revision: 3,
  label: 'Propagate',
  done: 2,
  total: 9,
  rate: 1,
  etaSeconds: 7,
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: null,
  error: null,
  report: null,
}

describe('a lost connection', () => {
  it('is one state: calls that fail meanwhile add no notice, and the list keeps what it showed', async () => {
    const fake = new DroppingStudio()
    const editor = await TestEditor.withDemo(fake)
    fake.setConnection('reconnecting')
    expect(editor.doc.core.connection).toBe('reconnecting')
    await editor.documents.openImage(3)
    await editor.documents.stepImage(1)
    editor.afterAnnotationsChanged()
    await editor.whenIdle()
    expect(editor.session.notices).toEqual([])
    expect(editor.doc.images.total).toBe(5)
    expect(editor.doc.image?.image.id).toBe(1)
  })

  it('reads everything again when it comes back: changes made meanwhile show, a job the core forgot goes', async () => {
    const fake = new DroppingStudio()
    const editor = await TestEditor.withDemo(fake)
    editor.jobs.track(orphanJob)
    fake.setConnection('reconnecting')
    fake.categories.push({ id: 42, name: 'made-while-away', color: '#00ff00' })
    const listsBefore = fake.requestsTo('image:list').length
    fake.setConnection('connected')
    await editor.whenIdle()
    expect(editor.doc.core.connection).toBe('connected')
    expect(editor.doc.categories.map((c) => c.name)).toContain('made-while-away')
    expect(fake.requestsTo('image:list').length).toBeGreaterThan(listsBefore)
    expect(editor.session.jobs.find((job) => job.id === orphanJob.id)).toBeUndefined()
    expect(editor.session.notices).toEqual([])
  })

  it('leaves other failures as notices', async () => {
    const fake = new DroppingStudio()
    const editor = await TestEditor.withDemo(fake)
    fake.failNext('image:get', new StudioError('io', 'the disk is gone'))
    await editor.documents.openImage(2)
    expect(editor.session.notices.map((n) => n.message)).toEqual(['Opening the image failed: the disk is gone'])
  })
})
