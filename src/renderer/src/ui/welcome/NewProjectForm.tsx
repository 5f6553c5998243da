/**
 * A new project from a folder of images: where the project itself goes (any folder; by default
 * one in the studio's data folder), and annotations to bring along. When the images folder holds
 * COCO files or is a PerSeg or DAVIS folder, the form offers to import them (exchange:detect sniffs it).
 */
import { useEffect, useState } from 'react'
import type { AnnotationsFound } from '../../../../common/ipc/types'
import { useEditor } from '../editorContext'
import { PathField } from '../PathField'
import '../studio-import.css'

interface NewProjectFormProps {
  readonly busy: boolean
  readonly run: (action: () => Promise<void>) => Promise<void>
}

const DETECT_DELAY_MS = 300

function baseName(path: string): string {
  return path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? path
}

export function NewProjectForm({ busy, run }: NewProjectFormProps) {
  const editor = useEditor()
  const [imagesRoot, setImagesRoot] = useState('')
  const [name, setName] = useState('')
  const [projectDir, setProjectDir] = useState('')
  const [found, setFound] = useState<AnnotationsFound | null>(null)
  const [useFound, setUseFound] = useState(true)
  const [foundCoco, setFoundCoco] = useState('')
  const [cocoFile, setCocoFile] = useState('')

  // Look into the folder once the path stops changing; a path that is not a folder finds nothing.
  useEffect(() => {
    const root = imagesRoot.trim()
    setFound(null)
    if (!root) return
    let current = true
    const timer = setTimeout(() => {
      editor.api.call('exchange:detect', { path: root }).then(
        (result) => {
          if (!current) return
          setFound(result)
          setUseFound(true)
          setFoundCoco(result.coco[0] ?? '')
        },
        () => undefined,
      )
    }, DETECT_DELAY_MS)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [editor, imagesRoot])

  const importAnnotations = cocoFile.trim()
    ? { format: 'coco' as const, path: cocoFile.trim() }
    : found && useFound
      ? found.perseg
        ? { format: 'perseg' as const, path: imagesRoot.trim() }
        : found.davis
          ? { format: 'davis' as const, path: imagesRoot.trim() }
          : foundCoco
          ? { format: 'coco' as const, path: foundCoco }
          : undefined
      : undefined

  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault()
        const root = imagesRoot.trim()
        if (!root) return
        void run(() =>
          editor.documents.createProject(root, {
            ...(name.trim() ? { name: name.trim() } : {}),
            ...(projectDir.trim() ? { projectDir: projectDir.trim() } : {}),
            ...(importAnnotations ? { importAnnotations } : {}),
          }),
        )
      }}
    >
      <label className="field">
        <span>Images folder</span>
        <PathField kind="folder" title="Images folder" value={imagesRoot} onChange={setImagesRoot} testId="create-images-root" />
      </label>
      {found && (found.perseg || found.davis || found.coco.length > 0) ? (
        <div className="detected" data-testid="create-detected" data-perseg={found.perseg} data-davis={found.davis} data-coco={found.coco.length}>
          <label>
            <input type="checkbox" checked={useFound} onChange={(event) => setUseFound(event.target.checked)} data-testid="create-import-found" />{' '}
            {found.perseg
              ? 'This is a PerSeg folder: import its masks (Annotations/<object>/) too'
              : found.davis
                ? 'This is a DAVIS folder: import its sequences and masks (Annotations/<resolution>/<sequence>/) too'
                : 'Import the COCO annotations found in this folder'}
          </label>
          {!found.perseg && !found.davis && found.coco.length > 1 ? (
            <select value={foundCoco} onChange={(event) => setFoundCoco(event.target.value)} aria-label="COCO file" data-testid="create-found-coco">
              {found.coco.map((file) => (
                <option key={file} value={file}>
                  {file}
                </option>
              ))}
            </select>
          ) : !found.perseg && !found.davis ? (
            <code className="small">{found.coco[0]}</code>
          ) : null}
        </div>
      ) : null}
      <label className="field">
        <span>
          COCO annotations to import <span className="muted small">(optional)</span>
        </span>
        <PathField kind="open-file" title="COCO annotations file" value={cocoFile} onChange={setCocoFile} fileExtensions={['.json']} placeholder="/path/to/instances.json" testId="create-coco-file" />
      </label>
      <input type="text" value={name} onChange={(event) => setName(event.target.value)} placeholder="Project name (optional)" aria-label="Project name" data-testid="create-name" />
      <label className="field">
        <span>
          Project folder <span className="muted small">(where project.sqlite and its cache go; your photos are never modified)</span>
        </span>
        <PathField
          kind="folder"
          title="Project folder"
          value={projectDir}
          onChange={setProjectDir}
          placeholder={`default: the studio's data folder${imagesRoot.trim() ? `, projects/${name.trim() || baseName(imagesRoot.trim())}` : ''}`}
          testId="create-project-dir"
        />
      </label>
      <button type="submit" className="primary" disabled={busy || !imagesRoot.trim()} data-testid="create-submit">
        {importAnnotations ? 'Create project and import' : 'Create project'}
      </button>
    </form>
  )
}
