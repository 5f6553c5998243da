import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createStudioCore, type StudioCore } from '../../src/main/api/studioCore'
import type { AppHost } from '../../src/main/services/system/appInfo'

/** A studio core with its own empty data folder (recent projects, settings, demo project). */
export function createTestCore(host: AppHost = 'cli'): Promise<StudioCore> {
  return createStudioCore({ host, dataDir: mkdtempSync(path.join(tmpdir(), 'studio-data-')), log: () => {} })
}
