/** folder:list and exchange:detect: looking at the disk before a project exists. */
import { homedir } from 'node:os'
import { detectAnnotations } from '../../services/exchange/detectAnnotations'
import { browseRoots, listFolder } from '../../services/system/folderBrowser'
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'

type BrowseChannels = 'folder:list' | 'exchange:detect'

export function browseHandlers(context: StudioContext): Pick<Handlers, BrowseChannels> {
  const { options } = context
  return {
    'folder:list': async ({ path, fileExtensions }) => listFolder(path, await browseRoots([homedir(), options.dataDir]), fileExtensions?.map((e) => e.toLowerCase())),
    'exchange:detect': ({ path }) => detectAnnotations(path),
  }
}
