import { describe, expect, it } from 'vitest'
import { CATEGORY_PALETTE } from '../../../src/renderer/src/editor/managers/CategoryManager'
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

  it('installs as a job, imports a file then reads the list again, switches model and provider', async () => {
    const editor = new TestEditor()
    await editor.start()
    await editor.models.install('sam-vit-b')
    expect(editor.jobs.running('model-install').map((j) => j.label)).toEqual(['Install sam-vit-b'])
    await editor.models.importFile('/models/sam_b.onnx')
    expect(editor.fake.requestsTo('model:import')).toEqual([{ path: '/models/sam_b.onnx' }])
    expect(editor.fake.requestsTo('model:list')).toHaveLength(2)
    await editor.models.select('sam-vit-b')
    expect(editor.doc.core.model).toMatchObject({ activeModelId: 'sam-vit-b', loadState: 'loading' })
    await editor.models.setProvider('cuda')
    expect(editor.doc.core.model?.attempts[0]).toEqual({ provider: 'cuda', ok: false, error: 'cuda is not available here' })
  })
})

describe('categories', () => {
  it('gives a new category the first palette colour not in use and makes it active', async () => {
    const editor = await TestEditor.withDemo()
    const category = await editor.categories.create('cat')
    expect(category?.color).toBe(CATEGORY_PALETTE.find((c) => c !== '#4f9cf9'))
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
