import { describe, expect, it } from 'vitest'
import { StudioError } from '../../../src/common/ipc/result'
import { nextCategoryColor } from '../../../src/common/color/categoryColors'
import { TestEditor } from '../helpers/TestEditor'

describe('models', () => {
  it('reads the model, the installed models, the catalog and the providers; knows when only the toy model is there', async () => {
    const editor = new TestEditor()
    await editor.start()
    expect(editor.doc.core.model?.activeModelId).toBe('toy')
    expect(editor.doc.core.catalog?.map((m) => m.id)).toEqual(['sam-vit-b'])
    expect(editor.doc.core.providers?.find((p) => p.name === 'cuda')?.reason).toBe('no CUDA 12 runtime found')
    expect(editor.models.onlyToy()).toBe(true)
  })

  it('shows the other reads when one of them fails', async () => {
    const editor = new TestEditor()
    editor.fake.failNext('model:list', new StudioError('io', 'models folder unreadable'))
    await editor.start()
    expect(editor.doc.core.installedModels).toBeNull()
    expect(editor.doc.core.model?.activeModelId).toBe('toy')
    expect(editor.doc.core.providers).toHaveLength(4)
    expect(editor.session.notices.at(-1)?.message).toBe('Listing the models failed: models folder unreadable')
  })

  it('downloads as a job counting bytes, follows its progress, and reads the lists again when it is installed', async () => {
    const editor = new TestEditor()
    await editor.start()
    await editor.models.install('sam-vit-b')
    const job = editor.models.downloadOf('sam-vit-b')
    expect(job).toMatchObject({ kind: 'model-install', label: 'Download SAM ViT-B', total: 375_000_000, state: 'running' })
    editor.fake.progress(job!.id, { done: 150_000_000, rate: 25_000_000, etaSeconds: 9 })
    expect(editor.models.downloadOf('sam-vit-b')).toMatchObject({ done: 150_000_000, rate: 25_000_000, etaSeconds: 9 })
    const listReads = editor.fake.requestsTo('model:list').length
    editor.fake.installedModels.push({ id: 'sam-vit-b', name: 'SAM ViT-B', family: 'sam', isToy: false, hasPersamDecoder: true, sizeBytes: 375_000_000, licence: 'Apache-2.0' })
    editor.fake.finishJob(job!.id, null)
    await editor.whenIdle()
    expect(editor.fake.requestsTo('model:list')).toHaveLength(listReads + 1)
    expect(editor.doc.core.catalog?.[0]?.installed).toBe(true)
    expect(editor.models.onlyToy()).toBe(false)
  })

  it('cancels a download, and keeps a failed one with its reason on the entry', async () => {
    const editor = new TestEditor()
    await editor.start()
    await editor.models.install('sam-vit-b')
    await editor.models.cancelInstall('sam-vit-b')
    await editor.whenIdle()
    expect(editor.fake.requestsTo('job:cancel')).toEqual([{ jobId: editor.models.downloadOf('sam-vit-b')!.id }])
    expect(editor.models.downloadOf('sam-vit-b')?.state).toBe('cancelled')

    await editor.models.install('sam-vit-b')
    const second = editor.models.downloadOf('sam-vit-b')!
    editor.fake.progress(second.id, { state: 'failed', finishedAt: 'now', error: { code: 'io', message: 'sha256 mismatch: the file was removed' } })
    expect(editor.models.downloadOf('sam-vit-b')?.error?.message).toBe('sha256 mismatch: the file was removed')
    expect(editor.session.notices.at(-1)?.message).toBe('Download SAM ViT-B failed: sha256 mismatch: the file was removed')
  })

  it('says in words, on the action, that a channel is not available yet', async () => {
    const editor = new TestEditor()
    await editor.start()
    editor.fake.failNext('model:install', new StudioError('internal', '"model:install" is not available in this build yet'))
    await editor.models.install('sam-vit-b')
    expect(editor.models.action('install:sam-vit-b')).toEqual({ pending: false, error: 'Downloading SAM ViT-B failed: "model:install" is not available in this build yet', message: null })
    expect(editor.models.downloadOf('sam-vit-b')).toBeNull()
    editor.models.dismiss('install:sam-vit-b')
    expect(editor.models.action('install:sam-vit-b')).toBeNull()
  })

  it('imports a folder then reads the list again; a refused import keeps its reason', async () => {
    const editor = new TestEditor()
    await editor.start()
    editor.fake.failNext('model:import', new StudioError('invalid-input', '/models/bad: decoder input "point_coords" is missing'))
    expect(await editor.models.importModel('/models/bad')).toBeUndefined()
    expect(editor.models.action('import')?.error).toBe('Importing /models/bad failed: /models/bad: decoder input "point_coords" is missing')
    const model = await editor.models.importModel('/models/sam_b')
    expect(model?.id).toBe('sam_b')
    expect(editor.models.action('import')).toEqual({ pending: false, error: null, message: 'Imported sam_b.' })
    expect(editor.doc.core.installedModels?.map((m) => m.id)).toEqual(['toy', 'sam_b'])
    await editor.models.remove('sam_b')
    expect(editor.doc.core.installedModels?.map((m) => m.id)).toEqual(['toy'])
  })

  it('switches model and provider, showing the provider that really runs and why the asked one did not', async () => {
    const editor = new TestEditor()
    await editor.start()
    await editor.models.select('missing')
    expect(editor.models.action('select:missing')?.error).toBe('Switching the model failed: no installed model "missing"')
    expect(editor.doc.core.model?.activeModelId).toBe('toy')
    await editor.models.setProvider('cuda')
    expect(editor.doc.core.model).toMatchObject({ requestedProvider: 'cuda', activeProvider: 'cpu' })
    expect(editor.doc.core.model?.attempts[0]).toEqual({ provider: 'cuda', ok: false, error: 'cuda is not available here' })
    editor.fake.emit('model:state', { ...editor.doc.core.model!, loadState: 'loading' })
    expect(editor.doc.core.model?.loadState).toBe('loading')
  })
})

describe('categories', () => {
  it('gives a new category the first palette colour not in use and makes it active', async () => {
    const editor = await TestEditor.withDemo()
    const category = await editor.categories.create('cat')
    expect(category?.color).toBe(nextCategoryColor(['#4f9cf9']))
    expect(editor.session.activeCategoryId).toBe(category?.id)
  })

  it('renames and recolours', async () => {
    const editor = await TestEditor.withDemo()
    await editor.categories.update(1, { name: 'mug', color: '#123456' })
    expect(editor.doc.categories[0]).toMatchObject({ id: 1, name: 'mug', color: '#123456' })
  })

  it('deletes with the annotation count shown, refuses when it changed meanwhile, and clears the deleted masks', async () => {
    const editor = await TestEditor.withDemo()
    const other = await editor.categories.create('cat')
    editor.fake.addAnnotation({ imageId: 1, categoryId: other!.id })
    await editor.documents.loadCategories()
    await editor.categories.remove(other!.id, 0)
    expect(editor.session.notices.at(-1)?.message).toMatch(/Deleting the category failed: the category has 1 annotations, not 0/)
    expect(editor.doc.categories).toHaveLength(2)
    await editor.categories.remove(other!.id, 1)
    await editor.whenIdle()
    expect(editor.doc.categories.map((c) => c.id)).toEqual([1])
    expect(editor.session.activeCategoryId).toBe(1)
    expect(editor.doc.image?.annotations).toEqual([])
  })
})
