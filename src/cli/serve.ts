import { fileURLToPath } from 'node:url'
import { Command } from 'commander'
import { createStudioCore } from '../main/api/studioCore'
import { mediaRoute } from '../main/server/mediaRoute'
import { startStudioServer } from '../main/server/server'
import { integerIn } from './options'
import { action } from './run'

export interface ServeOptions {
  readonly port: number
}

/** Resolves the built renderer next to the built CLI (out/main/cli.js -> out/renderer). */
export function builtRendererDir(): string {
  return fileURLToPath(new URL('../renderer', import.meta.url))
}

export async function serve(options: ServeOptions): Promise<void> {
  const core = await createStudioCore({ host: 'browser' })
  const server = await startStudioServer({
    dispatch: core.dispatch,
    events: core.events,
    rendererDir: builtRendererDir(),
    port: options.port,
    routes: [mediaRoute(core.context)],
  })
  console.log(`PerSAM Studio (browser mode) is serving on ${server.url}`)
  console.log(`Open this address; it carries this launch's access token:\n  ${server.launchUrl}`)
  const stop = async (): Promise<void> => {
    await server.close()
    await core.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the studio UI and API on 127.0.0.1 (browser mode)')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', integerIn(0, 65535), 0)
    .action(action((options: ServeOptions) => serve({ port: options.port })))
}
