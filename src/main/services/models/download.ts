/**
 * A resumable, verified download of one file. Bytes go to `<file>.part`; an interrupted transfer
 * resumes from the part's length with an HTTP Range request (here, or in a later install); the
 * size and sha256 are checked before the part is renamed to its final name, and a part that
 * fails either check is deleted. Transient failures are retried a bounded number of times with
 * a doubling delay, each mirror in turn; nothing retries forever.
 */
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises'
import { fileSha256 } from '../sam/contentHash'
import { cancelledError, DownloadError, fileError, isTransientStatus, networkError } from './downloadError'
import { openGet, type OpenTransfer } from './httpGet'

export interface DownloadTarget {
  /** Names the file in messages, e.g. "mobile-sam/encoder.onnx". */
  readonly label: string
  /** Tried in order; a mirror is used when one fails for good or runs out of attempts. */
  readonly urls: readonly string[]
  /** Exact size when known; null = whatever the server sends completely. */
  readonly bytes: number | null
  /** Expected sha256 (hex); null = unverified, the hash is only computed. */
  readonly sha256: string | null
  /** The final path; `${file}.part` holds the bytes until they are verified. */
  readonly file: string
}

export interface DownloadTuning {
  /** A connection silent for this long is dropped (and retried). Default 30 s. */
  readonly idleTimeoutMs?: number
  /** Attempts per URL for transient failures. Default 4. */
  readonly attemptsPerUrl?: number
  /** Delay before the first retry, doubled after each, at most 30 s. Default 1 s. */
  readonly retryDelayMs?: number
  readonly userAgent?: string
}

export interface DownloadCallbacks {
  readonly signal?: AbortSignal
  /** Bytes of this file on disk so far (a resumed part counts from its length). */
  readonly onBytes?: (bytes: number) => void
}

export interface DownloadOutcome {
  readonly file: string
  readonly url: string
  readonly bytes: number
  readonly sha256: string
  /** The sha256 matched a known value (false: computed on arrival only). */
  readonly verified: boolean
  /** Length of the part this download started from (0 = from scratch). */
  readonly resumedFrom: number
  readonly attempts: number
}

const MAX_RETRY_DELAY_MS = 30_000

const partOf = (file: string) => `${file}.part`

async function sizeOf(file: string): Promise<number | null> {
  const stats = await stat(file).catch(() => null)
  return stats ? stats.size : null
}

function sleep(ms: number, signal: AbortSignal | undefined, label: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError(label))
    const onAbort = () => {
      clearTimeout(timer)
      reject(cancelledError(label))
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Start of a 206 answer's Content-Range ("bytes 100-199/200"), or the total of a 416's ("bytes *\/200"). */
function contentRange(header: string | undefined): { start: number | null; total: number | null } {
  const match = /^bytes (?:(\d+)-\d+|\*)\/(\d+|\*)$/.exec(header?.trim() ?? '')
  return { start: match?.[1] !== undefined ? Number(match[1]) : null, total: match?.[2] !== undefined && match[2] !== '*' ? Number(match[2]) : null }
}

function httpFailure(transfer: OpenTransfer, label: string): DownloadError {
  const status = transfer.response.statusCode ?? 0
  const hint = status === 404 || status === 410 ? ' (the file is not there; the catalog entry may be out of date)' : status === 403 || status === 401 ? ' (access refused)' : ''
  return new DownloadError('http', `${label}: ${transfer.url} answered HTTP ${status} ${transfer.response.statusMessage ?? ''}`.trimEnd() + hint, isTransientStatus(status), status)
}

async function removePart(part: string): Promise<void> {
  await unlink(part).catch(() => undefined)
}

/** One request: appends what the server sends to the part. Returns when the server has sent the whole file. */
async function fetchIntoPart(url: string, target: DownloadTarget, tuning: DownloadTuning, callbacks: DownloadCallbacks): Promise<void> {
  const part = partOf(target.file)
  let offset = (await sizeOf(part)) ?? 0
  if (target.bytes !== null && offset > target.bytes) {
    await removePart(part)
    offset = 0
  }
  if (target.bytes !== null && offset === target.bytes) return
  const headers: Record<string, string> = { 'user-agent': tuning.userAgent ?? 'persam-studio' }
  if (offset > 0) headers.range = `bytes=${offset}-`
  const transfer = await openGet(url, { label: target.label, headers, idleTimeoutMs: tuning.idleTimeoutMs ?? 30_000, signal: callbacks.signal })
  let handle: FileHandle | null = null
  try {
    const { response } = transfer
    const status = response.statusCode ?? 0
    if (status === 416 && offset > 0) {
      // The part already holds the whole file (or more than it): verify or start over.
      if (contentRange(response.headers['content-range']).total === offset) return
      await removePart(part)
      throw new DownloadError('interrupted', `${target.label}: the server refused to resume at byte ${offset}; starting over`, true, status)
    }
    if (status === 206 && offset > 0) {
      const start = contentRange(response.headers['content-range']).start
      if (start !== offset) {
        await removePart(part)
        throw new DownloadError('interrupted', `${target.label}: the server resumed at byte ${start ?? '?'} instead of ${offset}; starting over`, true, status)
      }
    } else if (status === 200) {
      offset = 0 // a fresh download, or a server that ignores Range: the part starts over
    } else {
      throw httpFailure(transfer, target.label)
    }
    const length = response.headers['content-length'] === undefined ? null : Number(response.headers['content-length'])
    const announced = length === null || !Number.isFinite(length) ? null : offset + length
    if (target.bytes !== null && announced !== null && announced !== target.bytes) {
      await removePart(part)
      throw new DownloadError('size', `${target.label}: the server announces ${announced} bytes, the catalog expects ${target.bytes}; this is not the catalog's file, nothing was kept`, false)
    }
    try {
      handle = await open(part, offset > 0 ? 'a' : 'w')
    } catch (error) {
      throw fileError(error, target.label, part)
    }
    let received = offset
    callbacks.onBytes?.(received)
    const file = handle
    try {
      await transfer.readBody(async (chunk) => {
        if (target.bytes !== null && received + chunk.length > target.bytes) {
          throw new DownloadError('size', `${target.label}: the server sent more than the catalog's ${target.bytes} bytes; this is not the catalog's file, nothing was kept`, false)
        }
        try {
          await file.write(chunk)
        } catch (error) {
          throw fileError(error, target.label, part)
        }
        received += chunk.length
        callbacks.onBytes?.(received)
      })
    } catch (error) {
      if (error instanceof DownloadError && error.failure === 'size') {
        await file.close()
        handle = null
        await removePart(part)
      }
      throw transfer.failure() ?? (error instanceof DownloadError ? error : networkError(error, target.label, transfer.host))
    }
    const failure = transfer.failure()
    if (failure) throw failure
    if (announced !== null && received < announced) {
      throw new DownloadError('interrupted', `${target.label}: the connection closed after ${received} of ${announced} bytes; the download resumes where it stopped`, true)
    }
  } finally {
    transfer.close()
    await handle?.close()
  }
}

async function verifyAndPlace(target: DownloadTarget, url: string, resumedFrom: number, attempts: number, signal: AbortSignal | undefined): Promise<DownloadOutcome> {
  const part = partOf(target.file)
  const size = (await sizeOf(part)) ?? 0
  if (target.bytes !== null && size !== target.bytes) {
    await removePart(part)
    throw new DownloadError('size', `${target.label}: received ${size} bytes, the catalog expects ${target.bytes}; the file was removed`, false)
  }
  const sha256 = await fileSha256(part)
  if (signal?.aborted) throw cancelledError(target.label)
  if (target.sha256 !== null && sha256 !== target.sha256) {
    await removePart(part)
    throw new DownloadError('hash', `${target.label}: sha256 ${sha256} does not match the catalog's ${target.sha256}; the damaged file was removed`, false)
  }
  try {
    await rename(part, target.file)
  } catch (error) {
    throw fileError(error, target.label, target.file)
  }
  return { file: target.file, url, bytes: size, sha256, verified: target.sha256 !== null, resumedFrom, attempts }
}

/** Downloads `target` (resuming its part if any), verifies it and moves it to `target.file`. */
export async function downloadVerified(target: DownloadTarget, tuning: DownloadTuning = {}, callbacks: DownloadCallbacks = {}): Promise<DownloadOutcome> {
  const resumedFrom = (await sizeOf(partOf(target.file))) ?? 0
  const attemptsPerUrl = Math.max(1, tuning.attemptsPerUrl ?? 4)
  let attempts = 0
  for (let urlIndex = 0; urlIndex < target.urls.length; urlIndex++) {
    const url = target.urls[urlIndex]!
    const lastUrl = urlIndex === target.urls.length - 1
    let delay = tuning.retryDelayMs ?? 1_000
    for (let attempt = 1; ; attempt++) {
      if (callbacks.signal?.aborted) throw cancelledError(target.label)
      attempts++
      try {
        await fetchIntoPart(url, target, tuning, callbacks)
        return await verifyAndPlace(target, url, resumedFrom, attempts, callbacks.signal)
      } catch (error) {
        const failure = error instanceof DownloadError ? error : fileError(error, target.label, target.file)
        if (failure.failure === 'cancelled' || callbacks.signal?.aborted) throw cancelledError(target.label)
        // Size and hash failures are about the bytes, not the route to them: another mirror would not help.
        const anotherMirror = !lastUrl && failure.failure !== 'size' && failure.failure !== 'hash' && failure.failure !== 'disk-full'
        if (!failure.transient || attempt >= attemptsPerUrl) {
          if (anotherMirror) break
          if (!failure.transient) throw failure
          throw new DownloadError(failure.failure, `${failure.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`, false, failure.status)
        }
        await sleep(delay, callbacks.signal, target.label)
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)
      }
    }
  }
  throw new DownloadError('http', `${target.label}: no download URL`, false)
}
