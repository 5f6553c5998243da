/**
 * Download failures, one kind per thing a user can act on. `transient` ones (a dropped
 * connection, a stalled or overloaded server) are retried a bounded number of times; the others
 * stop at once. They are StudioErrors, so the API hands them to the renderer as they are.
 */
import { StudioError } from '../../../common/ipc/result'

export type DownloadFailure =
  | 'offline' // cannot connect or resolve the host
  | 'tls' // the certificate could not be verified
  | 'http' // the server answered with an error status
  | 'interrupted' // the connection dropped mid-file
  | 'timeout' // the server stopped sending
  | 'size' // the server's or the received size is not the catalog's
  | 'hash' // the received bytes are not the catalog's
  | 'disk-full'
  | 'io' // any other local file problem
  | 'cancelled'

export class DownloadError extends StudioError {
  constructor(
    readonly failure: DownloadFailure,
    message: string,
    readonly transient: boolean,
    readonly status: number | null = null,
  ) {
    super(failure === 'cancelled' ? 'cancelled' : 'io', message)
    this.name = 'DownloadError'
  }
}

const OFFLINE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'ETIMEDOUT'])
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE'])

/** Statuses worth another try: the server is busy or broken for now, not refusing this file. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500
}

/** Turns a socket/DNS/TLS error into a DownloadError that says what to do. */
export function networkError(error: unknown, label: string, host: string): DownloadError {
  if (error instanceof DownloadError) return error
  const code = (error as NodeJS.ErrnoException).code ?? ''
  const detail = error instanceof Error ? error.message : String(error)
  if (OFFLINE_CODES.has(code)) {
    return new DownloadError('offline', `${label}: cannot reach ${host} (${code}). Is this machine online, or is a firewall or proxy blocking it?`, true)
  }
  if (DROPPED_CODES.has(code)) return new DownloadError('interrupted', `${label}: the connection to ${host} dropped (${code}); the download resumes where it stopped`, true)
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code)) {
    return new DownloadError('tls', `${label}: the TLS certificate of ${host} could not be verified (${code}); a proxy or antivirus may be intercepting HTTPS`, false)
  }
  return new DownloadError('interrupted', `${label}: the download from ${host} failed (${detail})`, true)
}

/** Turns a local write error into a DownloadError (disk full is the one users meet). */
export function fileError(error: unknown, label: string, file: string): DownloadError {
  if (error instanceof DownloadError) return error
  const code = (error as NodeJS.ErrnoException).code ?? ''
  if (code === 'ENOSPC' || code === 'EDQUOT') return new DownloadError('disk-full', `${label}: the disk is full (${code}) writing ${file}; free some space and install again, the download resumes`, false)
  return new DownloadError('io', `${label}: cannot write ${file} (${error instanceof Error ? error.message : String(error)})`, false)
}

export function cancelledError(label: string): DownloadError {
  return new DownloadError('cancelled', `${label}: cancelled`, false)
}
