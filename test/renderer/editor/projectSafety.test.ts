/** Opening a project another process holds: the refusal is kept for the welcome screen, and "Open read-only" asks the core for a read-only session. */
import { describe, expect, it } from 'vitest'
import { StudioError } from '../../../src/common/ipc/result'
import { TestEditor } from '../helpers/TestEditor'

describe('a refused project open', () => {
  it('keeps a "locked" refusal with its message, and opens read-only on request', async () => {
    const editor = new TestEditor()
    await editor.start()
    const message = 'project p is open in the CLI (pid 1234 on host h) since 21:03; close it there, or open it read-only'
    editor.fake.failNext('project:open', new StudioError('locked', message))
    await editor.documents.openProject('/p')
    expect(editor.doc.project).toBeNull()
    expect(editor.session.openRefusal).toEqual({ projectDir: '/p', code: 'locked', message })
    expect(editor.session.notices.map((n) => n.message)).toContain(`Opening the project failed: ${message}`)

    await editor.documents.openProject('/p', true)
    expect(editor.fake.requestsTo('project:open').at(-1)).toEqual({ projectDir: '/p', readOnly: true })
    expect(editor.doc.project?.readOnly?.reason).toBe('requested')
    expect(editor.session.openRefusal).toBeNull()
    editor.dispose()
  })

  it('keeps no refusal for other failures', async () => {
    const editor = new TestEditor()
    await editor.start()
    editor.fake.failNext('project:open', new StudioError('not-found', 'project file /q/project.sqlite does not exist'))
    await editor.documents.openProject('/q')
    expect(editor.session.openRefusal).toBeNull()
    editor.dispose()
  })
})
