/** First screen: the demo project and the demo video, a new project from a folder, an existing one, recent ones; the model in use. */
import { useState } from 'react'
import { useEditor, useEditorState } from '../editorContext'
import { PathField } from '../PathField'
import { ModelCard } from './ModelCard'
import { NewProjectForm } from './NewProjectForm'
import { ProjectRefusal } from './ProjectRefusal'

export function WelcomeScreen() {
  const editor = useEditor()
  const recent = useEditorState((s) => s.doc.core.recent)
  const [projectDir, setProjectDir] = useState('')
  const [busy, setBusy] = useState(false)

  const run = async (action: () => Promise<void>) => {
    setBusy(true)
    try {
      await action()
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="welcome-screen" data-testid="welcome">
      <div className="welcome-screen__intro">
        <h1>Mark an object once.</h1>
        <p>PerSAM Studio finds it in every other image and queues the proposals for your review.</p>
        <div className="row wrap" style={{ justifyContent: 'center' }}>
          <button type="button" className="primary big" disabled={busy} onClick={() => void run(() => editor.documents.openDemo())} data-testid="welcome-open-demo">
            Open the demo project
          </button>
          <button type="button" className="big" disabled={busy} onClick={() => void run(() => editor.documents.openDemo('sequence'))} data-testid="welcome-open-demo-sequence" title="24 frames of a mug to track through an occlusion">
            Open the demo video
          </button>
        </div>
      </div>
      <ProjectRefusal />
      <div className="welcome-screen__grid">
        <section className="card">
          <h2>New project from a folder of images</h2>
          <NewProjectForm busy={busy} run={run} />
          <h2>Open a project</h2>
          <form
            className="row"
            onSubmit={(event) => {
              event.preventDefault()
              if (projectDir.trim()) void run(() => editor.documents.openProject(projectDir.trim()))
            }}
          >
            <PathField kind="folder" title="Project folder" value={projectDir} onChange={setProjectDir} testId="open-project-dir" />
            <button type="submit" disabled={busy || !projectDir.trim()} data-testid="open-submit">
              Open
            </button>
          </form>
        </section>
        <section className="card">
          <h2>Recent</h2>
          {recent === null ? <p className="muted">Recent projects are not available.</p> : null}
          {recent?.length === 0 ? <p className="muted">No recent projects yet.</p> : null}
          <ul className="plain-list">
            {recent?.map((project) => (
              <li key={project.projectDir}>
                <button
                  type="button"
                  className="link-button"
                  disabled={busy || !project.available}
                  title={project.available ? project.projectDir : `${project.projectDir} is gone`}
                  onClick={() => void run(() => editor.documents.openProject(project.projectDir))}
                  data-testid="recent-item"
                >
                  <span>{project.name}</span>
                  <span className="muted small">{project.available ? project.projectDir : 'missing'}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <ModelCard />
      </div>
    </div>
  )
}
