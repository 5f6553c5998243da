import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { previewScale } from '../../common/ipc/media'
import { MaskBitmaps } from './canvas/MaskBitmaps'
import { Editor } from './editor/Editor'
import { decodeCocoRuns } from './masks/cocoRuns'
import { RunsCache } from './masks/RunsCache'
import { StudioClient } from './services/studioClient'
import { pickTransport } from './services/transport'
import { App } from './ui/App'

const client = new StudioClient(pickTransport())
const runs = new RunsCache(decodeCocoRuns)
const editor = new Editor(client, { maskContains: runs.contains })
// Masks are drawn at the preview's resolution: finer would be invisible, and costs memory.
const bitmaps = new MaskBitmaps({ decodeRuns: (rle) => runs.runs(rle), maxScale: previewScale, onError: (message) => editor.notify('error', message) })

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App editor={editor} bitmaps={bitmaps} transport={client.transportKind} />
  </StrictMode>,
)
