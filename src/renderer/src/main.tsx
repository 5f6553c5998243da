import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './ui/App'
import { StudioClient } from './services/studioClient'
import { pickTransport } from './services/transport'

const client = new StudioClient(pickTransport())
const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
)
