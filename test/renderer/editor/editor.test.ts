import { describe, expect, it } from 'vitest'
import { StudioError } from '../../../src/common/ipc/result'
import { DEFAULT_ABSENT_THRESHOLD } from '../../../src/common/persam/confidence'
import { DEFAULT_PROPAGATION } from '../../../src/renderer/src/editor/managers/JobsController'
import { IMAGE_PAGE_SIZE } from '../../../src/renderer/src/editor/state'
import { FakeStudio } from '../helpers/fakeStudio'
import { TestEditor } from '../helpers/TestEditor'

describe('editor documents', () => {
  it('reads the core on start, and opens nothing until a project is chosen', async () => {
    const editor = new TestEditor()
    await editor.start()
    expect(editor.doc.core.app?.version).toBe('0.1.0')
    expect(editor.doc.core.model?.activeProvider).toBe('cpu')
    expect(editor.doc.core.installedModels?.[0]?.isToy).toBe(true)
    expect(editor.doc.core.recent).toEqual([])
    expect(editor.doc.project).toBeNull()
    expect(editor.fake.requestsTo('image:list')).toHaveLength(0)
    expect(editor.fake.listenerCount('proposal:added')).toBe(1)
    editor.dispose()
    expect(editor.fake.listenerCount('proposal:added')).toBe(0)
  })

  it('reopens the project the core already has open (a page reload in browser mode)', async () => {
    const fake = new FakeStudio()
    fake.project = { projectDir: '/p', name: 'P', imagesRoot: '/p/i', imageCount: 5, annotationCount: 0, isDemo: false, readOnly: null }
    const editor = new TestEditor(fake)
    await editor.start()
    expect(editor.doc.project?.projectDir).toBe('/p')
    expect(editor.doc.image?.image.id).toBe(1)
  })

  it('opens the demo: categories, the first page of images with counts, the first image, fitted', async () => {
    const editor = await TestEditor.withDemo()
    expect(editor.doc.project?.isDemo).toBe(true)
    expect(editor.doc.categories.map((c) => c.name)).toEqual(['dog'])
    expect(editor.session.activeCategoryId).toBe(1)
    expect(editor.doc.images.total).toBe(5)
    expect(editor.doc.images.imageCounts?.unlabeled).toBe(5)
    expect(editor.doc.image?.image.id).toBe(1)
    expect(editor.session.camera).toEqual({ zoom: (600 - 32) / 300, x: (800 - 400 * ((600 - 32) / 300)) / 2, y: 16 })
    // Embeddings for the next images are asked for ahead of navigation.
    expect(editor.fake.requestsTo('segment:prefetch')).toEqual([{ imageIds: [2, 3] }])
  })

  it('loads list pages on demand and moves between images with D and A', async () => {
    const fake = new FakeStudio({ images: IMAGE_PAGE_SIZE + 30 })
    const editor = await TestEditor.withDemo(fake)
    expect([...editor.doc.images.pages.keys()]).toEqual([0])
    await editor.documents.ensureRange(IMAGE_PAGE_SIZE - 5, IMAGE_PAGE_SIZE + 10)
    expect([...editor.doc.images.pages.keys()].sort()).toEqual([0, 1])
    expect(editor.documents.itemAt(IMAGE_PAGE_SIZE + 29)?.id).toBe(IMAGE_PAGE_SIZE + 30)
    await editor.documents.ensureRange(0, 20)
    expect(fake.requestsTo('image:list')).toHaveLength(2)

    editor.press('D')
    await editor.whenIdle()
    expect(editor.doc.image?.image.id).toBe(2)
    editor.press('ArrowRight')
    await editor.whenIdle()
    editor.press('ArrowLeft')
    await editor.whenIdle()
    expect(editor.doc.image?.image.id).toBe(2)
    editor.press('ArrowLeft')
    editor.press('ArrowLeft')
    await editor.whenIdle()
    expect(editor.doc.image?.image.id).toBe(1)
  })

  it('filters the list by state and asks the core with the filter', async () => {
    const fake = new FakeStudio({ images: 4 })
    fake.addAnnotation({ imageId: 3, status: 'proposed', score: 0.4 })
    const editor = await TestEditor.withDemo(fake)
    await editor.documents.setFilter({ state: 'to-review', order: 'review' })
    expect(fake.requestsTo('image:list').at(-1)).toEqual({ offset: 0, limit: IMAGE_PAGE_SIZE, order: 'review', state: 'to-review' })
    expect(editor.doc.images.total).toBe(1)
    expect(editor.documents.itemAt(0)?.id).toBe(3)
  })

  it('keeps the image clicked last when an earlier image answers later', async () => {
    const editor = await TestEditor.withDemo()
    editor.fake.hold('image:get')
    const slow = editor.documents.openImage(2)
    const fast = editor.documents.openImage(3)
    editor.fake.release('image:get', 1)
    await fast
    editor.fake.release('image:get', 0)
    await slow
    expect(editor.doc.image?.image.id).toBe(3)
  })

  it('clears prompts and selection when the image changes', async () => {
    const editor = await TestEditor.withDemo()
    editor.click(50, 50)
    await editor.whenIdle()
    expect(editor.session.prompts).not.toBeNull()
    await editor.documents.openImage(2)
    expect(editor.session.prompts).toBeNull()
    expect(editor.session.selectedAnnotationId).toBeNull()
  })

  it('turns a failed call into a readable notice, naming the input problem, and keeps going', async () => {
    const editor = new TestEditor()
    editor.fake.failNext('project:openDemo', new StudioError('io', 'the demo images are missing', [{ path: 'resources/demo', message: 'no such folder' }]))
    await editor.start()
    await editor.documents.openDemo()
    expect(editor.doc.project).toBeNull()
    expect(editor.session.notices.at(-1)).toMatchObject({
      level: 'error',
      message: 'Opening the demo project failed: the demo images are missing (resources/demo: no such folder)',
    })
    editor.dismissNotice(editor.session.notices.at(-1)!.id)
    expect(editor.session.notices).toEqual([])
    await editor.documents.openDemo()
    expect(editor.doc.project?.isDemo).toBe(true)
  })
})

describe('editor annotations, history and events', () => {
  it('toggles the reference flag with R on the selected mask', async () => {
    const editor = await TestEditor.withDemo()
    const mask = editor.fake.addAnnotation({ imageId: 1 })
    await editor.documents.reloadImage()
    editor.annotations.select(mask.id)
    editor.press('R')
    await editor.whenIdle()
    expect(editor.annotation(mask.id)?.isReference).toBe(true)
    expect(editor.doc.categories[0]?.referenceCount).toBe(1)
    editor.press('R')
    await editor.whenIdle()
    expect(editor.fake.requestsTo('annotation:setReference').map((r) => r.isReference)).toEqual([true, false])
  })

  it('deletes the selected annotation with Delete', async () => {
    const editor = await TestEditor.withDemo()
    const mask = editor.fake.addAnnotation({ imageId: 1 })
    await editor.documents.reloadImage()
    editor.annotations.select(mask.id)
    editor.press('Delete')
    await editor.whenIdle()
    expect(editor.doc.image?.annotations).toEqual([])
    expect(editor.session.selectedAnnotationId).toBeNull()
  })

  it('undoes and redoes through the core and reads the touched image again', async () => {
    const editor = await TestEditor.withDemo()
    editor.click(100, 80)
    await editor.whenIdle()
    editor.press('Enter')
    await editor.whenIdle()
    expect(editor.doc.image?.annotations).toHaveLength(1)
    editor.press('Ctrl+Z')
    await editor.whenIdle()
    expect(editor.fake.requestsTo('history:undo')).toHaveLength(1)
    expect(editor.doc.image?.annotations).toHaveLength(0)
    expect(editor.doc.history.canRedo).toBe(true)
    editor.press('Ctrl+Shift+Z')
    await editor.whenIdle()
    expect(editor.doc.image?.annotations).toHaveLength(1)
    editor.press('Ctrl+Z')
    await editor.whenIdle()
    editor.press('Ctrl+Y')
    await editor.whenIdle()
    expect(editor.fake.requestsTo('history:redo')).toHaveLength(2)
    expect(editor.doc.image?.annotations).toHaveLength(1)
    editor.press('Ctrl+Y')
    await editor.whenIdle()
    expect(editor.session.notices.at(-1)?.message).toBe('Nothing to redo.')
  })

  it('follows core events: history, model state, changed annotations, errors', async () => {
    const editor = await TestEditor.withDemo()
    editor.fake.emit('history:changed', { canUndo: true, canRedo: false, undoLabel: 'Accept', redoLabel: null })
    expect(editor.doc.history.undoLabel).toBe('Accept')
    editor.fake.emit('model:state', { activeModelId: 'sam', loadState: 'loading', requestedProvider: 'auto', activeProvider: null, attempts: [], error: null })
    expect(editor.doc.core.model?.loadState).toBe('loading')
    editor.fake.addAnnotation({ imageId: 1 })
    editor.fake.emit('annotation:changed', { imageIds: [1], reason: 'import' })
    await editor.whenIdle()
    expect(editor.doc.image?.annotations).toHaveLength(1)
    expect(editor.doc.images.imageCounts?.reviewed).toBe(1)
    editor.fake.emit('app:error', { code: 'io', message: 'the disk is full' })
    expect(editor.session.notices.at(-1)?.message).toBe('the disk is full')
  })

  it('adopts a project opened elsewhere (project:changed) and clears when it closes', async () => {
    const editor = await TestEditor.withDemo()
    editor.fake.emit('project:changed', null)
    await editor.whenIdle()
    expect(editor.doc.project).toBeNull()
    expect(editor.doc.image).toBeNull()
  })
})

describe('editor jobs', () => {
  it('starts a propagation from the dialog settings, tracks progress, shows proposals as they arrive', async () => {
    const editor = await TestEditor.withDemo()
    const reference = editor.fake.addAnnotation({ imageId: 1, isReference: true })
    await editor.documents.loadCategories()
    editor.openDialog('propagate')
    const job = await editor.jobs.startPropagation({ categoryId: 1, method: 'persam-f', scope: 'unlabeled', maxInstances: 3, absentThreshold: 0.25 })
    expect(editor.fake.requestsTo('propagation:start')).toEqual([{ categoryId: 1, method: 'persam-f', scope: 'unlabeled', maxInstances: 3, absentThreshold: 0.25 }])
    expect(editor.session.dialog).toBeNull()
    expect(editor.jobs.running('propagation').map((j) => j.id)).toEqual([job?.id])

    editor.fake.progress(job!.id, { done: 2, rate: 1.5, etaSeconds: 2 })
    expect(editor.jobs.byId(job!.id)?.done).toBe(2)
    await editor.documents.openImage(3)
    editor.fake.runPropagation(job!.id, { 2: 0.4, 3: 0.8 })
    // The open image shows its proposal as soon as it is announced.
    expect(editor.doc.image?.annotations.map((a) => a.score)).toEqual([0.8])
    await editor.whenIdle()
    expect(editor.jobs.running()).toEqual([])
    expect(editor.jobs.byId(job!.id)?.state).toBe('done')
    expect(editor.doc.images.imageCounts?.['to-review']).toBe(2)
    expect(reference.isReference).toBe(true)
  })

  it("starts with the engine's absent threshold, and sends null (never absent) when it is switched off", async () => {
    const editor = await TestEditor.withDemo()
    editor.fake.addAnnotation({ imageId: 1, isReference: true })
    await editor.documents.loadCategories()
    expect(DEFAULT_PROPAGATION.absentThreshold).toBe(DEFAULT_ABSENT_THRESHOLD)
    const job = await editor.jobs.startPropagation({ ...DEFAULT_PROPAGATION, categoryId: 1 })
    editor.fake.finishJob(job!.id, { images: 0, proposals: 0, absent: 0, failed: [], secondsPerImage: 0 })
    await editor.whenIdle()
    await editor.jobs.startPropagation({ ...DEFAULT_PROPAGATION, categoryId: 1, absentThreshold: null })
    expect(editor.fake.requestsTo('propagation:start').map((r) => r.absentThreshold)).toEqual([DEFAULT_ABSENT_THRESHOLD, null])
  })

  it('refuses to propagate a category without a reference, with an explanation', async () => {
    const editor = await TestEditor.withDemo()
    const job = await editor.jobs.startPropagation({ categoryId: 1, method: 'persam', scope: 'all', maxInstances: 1, absentThreshold: null })
    expect(job).toBeUndefined()
    expect(editor.fake.requestsTo('propagation:start')).toHaveLength(0)
    expect(editor.session.notices.at(-1)?.message).toMatch(/"dog" has no reference yet/)
  })

  it('exports, follows the export job and cancels a running job', async () => {
    const editor = await TestEditor.withDemo()
    const job = await editor.jobs.startExport({ format: 'coco', path: '/out/coco.json', statuses: ['accepted', 'edited'], cocoSegmentation: 'polygons' })
    expect(editor.session.exportJobId).toBe(job?.id)
    editor.fake.finishJob(job!.id, { path: '/out/coco.json', images: 5, annotations: 3, warnings: [] })
    expect(editor.jobs.byId(editor.session.exportJobId)?.report).toMatchObject({ annotations: 3 })

    editor.fake.addAnnotation({ imageId: 1, isReference: true })
    await editor.documents.loadCategories()
    const propagation = await editor.jobs.startPropagation({ categoryId: 1, method: 'persam', scope: 'all', maxInstances: 1, absentThreshold: null })
    await editor.jobs.cancel(propagation!.id)
    await editor.whenIdle()
    expect(editor.jobs.byId(propagation!.id)?.state).toBe('cancelled')
    expect(editor.jobs.running()).toEqual([])
  })

  it('reports a failed job in words', async () => {
    const editor = await TestEditor.withDemo()
    const job = await editor.jobs.startExport({ format: 'png', path: '/out' })
    editor.fake.progress(job!.id, { state: 'failed', finishedAt: 'now', error: { code: 'io', message: '/out is read-only' } })
    expect(editor.session.notices.at(-1)?.message).toBe(`${job!.label} failed: /out is read-only`)
  })
})

describe('job reports out of order', () => {
  it('keeps the newest report when an older one arrives late', async () => {
    const editor = await TestEditor.withDemo()
    const job = await editor.jobs.startExport({ format: 'png', path: '/out' })
    editor.fake.progress(job!.id, { done: 3 })
    // The start answer (revision 1) arriving after a newer report.
    editor.jobs.track({ ...job!, done: 1 })
    expect(editor.jobs.byId(job!.id)?.done).toBe(3)
    const finished = editor.fake.finishJob(job!.id, { path: '/out', images: 1, annotations: 1, warnings: [] })
    editor.jobs.track({ ...job!, done: 1 })
    expect(editor.jobs.byId(job!.id)).toEqual(finished)
  })
})

describe('a new project', () => {
  it('creates the project, follows its import job, and opens the first image once there is one', async () => {
    const fake = new FakeStudio({ images: 3 })
    const imported = fake.images
    fake.images = []
    fake.importTotal = 3
    const editor = new TestEditor(fake)
    await editor.start()
    await editor.documents.createProject('/photos', 'P')
    await editor.whenIdle()
    expect(fake.requestsTo('project:create')).toEqual([{ imagesRoot: '/photos', name: 'P' }])
    expect(editor.doc.project?.name).toBe('P')
    const importJobId = editor.jobs.running('import')[0]!.id
    expect(editor.doc.image).toBeNull()
    expect(editor.jobs.running('import')).toHaveLength(1)

    fake.images = imported.slice(0, 2)
    fake.progress(importJobId, { done: 2 })
    await editor.whenIdle()
    expect(editor.doc.images.total).toBe(2)
    expect(editor.doc.image?.image.id).toBe(1)

    fake.images = imported
    fake.finishJob(importJobId, { imported: { images: 3, annotations: 0, categories: 0 }, skipped: [], duplicates: [] })
    await editor.whenIdle()
    expect(editor.doc.images.total).toBe(3)
    expect(editor.jobs.running()).toEqual([])
  })
})
