/** The catalog shipped in resources/models/catalog.json (extraResources in the packaged app). */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parseModelCatalog, type ModelCatalog } from '../../../common/models/catalog'
import { resourcesDir } from '../system/paths'

export function bundledCatalogFile(): string {
  return path.join(resourcesDir(), 'models', 'catalog.json')
}

export async function loadCatalog(file: string = bundledCatalogFile()): Promise<ModelCatalog> {
  return parseModelCatalog(await readFile(file, 'utf8'), file)
}
