/** Response and event payload types shared by the contract, the services and the renderer. */

export interface ExecutionProviderInfo {
  /** onnxruntime-node's provider name: cpu, cuda, dml, coreml, webgpu, tensorrt. */
  readonly name: string
  /** True when the provider ships inside the installed onnxruntime-node binary. */
  readonly bundled: boolean
}

export interface AppInfo {
  readonly version: string
  readonly platform: string
  readonly arch: string
  readonly nodeVersion: string
  /** Null outside Electron (CLI and browser mode). */
  readonly electronVersion: string | null
  /** 'electron' inside the desktop app, 'browser' when served by the browser-mode server. */
  readonly host: 'electron' | 'browser' | 'cli'
  readonly onnxruntime: {
    readonly version: string
    readonly executionProviders: readonly ExecutionProviderInfo[]
  }
}
