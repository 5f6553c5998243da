/**
 * Errors cross process and network boundaries as plain data: Electron's IPC and JSON both drop
 * the prototype and custom fields of thrown Error objects, so handlers return a Result instead.
 */

export type StudioErrorCode =
  | 'invalid-request'
  | 'unknown-channel'
  | 'unauthorized'
  | 'not-found'
  | 'conflict'
  | 'cancelled'
  | 'invalid-input'
  | 'io'
  /** The transport lost the core (browser mode: the server stopped); the renderer shows one banner. */
  | 'disconnected'
  | 'model'
  | 'internal'
  /** Another process has the project open for writing (it may still be opened read-only). */
  | 'locked'
  /** A write to a project opened read-only (locked elsewhere, or its file failed its check). */
  | 'read-only'
  /** The project file is too damaged to open; restore a backup. */
  | 'damaged'

export interface StudioErrorIssue {
  /** Dotted path inside the payload or file, e.g. `annotations[3].segmentation.counts`. */
  readonly path: string
  readonly message: string
}

export interface StudioErrorData {
  readonly code: StudioErrorCode
  readonly message: string
  readonly issues?: readonly StudioErrorIssue[]
}

export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: StudioErrorData }

export class StudioError extends Error {
  readonly code: StudioErrorCode
  readonly issues: readonly StudioErrorIssue[] | undefined

  constructor(code: StudioErrorCode, message: string, issues?: readonly StudioErrorIssue[]) {
    super(message)
    this.name = 'StudioError'
    this.code = code
    this.issues = issues
  }

  toData(): StudioErrorData {
    return this.issues ? { code: this.code, message: this.message, issues: this.issues } : { code: this.code, message: this.message }
  }

  static fromData(data: StudioErrorData): StudioError {
    return new StudioError(data.code, data.message, data.issues)
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value }
}

export function fail(code: StudioErrorCode, message: string, issues?: readonly StudioErrorIssue[]): Result<never> {
  return { ok: false, error: issues ? { code, message, issues } : { code, message } }
}

/** Formats a path of keys and indices the way users read it: `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`
    else out += out === '' ? String(key) : `.${String(key)}`
  }
  return out === '' ? '(root)' : out
}
