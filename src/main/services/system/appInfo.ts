import * as ort from 'onnxruntime-node'
import packageJson from '../../../../package.json' with { type: 'json' }
import type { AppInfo } from '../../../common/ipc/types'

export type AppHost = AppInfo['host']

/** What the studio reports about itself; `host` says which shell is serving the renderer. */
export function readAppInfo(host: AppHost): AppInfo {
  return {
    version: packageJson.version,
    platform: process.platform,
    arch: process.arch,
    nodeVersion: process.versions.node,
    electronVersion: process.versions.electron ?? null,
    host,
    onnxruntime: {
      version: ort.env.versions.node ?? ort.env.versions.common,
      executionProviders: ort.listSupportedBackends().map(({ name, bundled }) => ({ name, bundled })),
    },
  }
}
