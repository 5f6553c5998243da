/**
 * Streams a JSON file shaped like COCO — one top-level object whose big members are arrays —
 * and hands out the elements of the arrays the caller asks for, one at a time, parsed by the
 * native JSON.parse. Nothing holds the whole file: a 1,000,000-annotation COCO file exceeds V8's
 * maximum string length, and even below it one JSON.parse would need several GB.
 *
 * The byte loop here only follows strings and brackets to find where each element ends; the
 * grammar inside an element is checked by JSON.parse, and when that (or the UTF-8 check) fails
 * jsonDiagnose walks the element again to name the exact path and reason. Other top-level
 * members (info, licenses, ...) are parsed and checked too, then passed to onMember.
 */
import { isUtf8 } from 'node:buffer'
import { open } from 'node:fs/promises'
import { JsonSyntaxError, MAX_JSON_DEPTH, diagnoseJson } from './jsonDiagnose'

export interface SectionHandlers {
  /** Whether the elements of top-level array `key` should be parsed and handed out in this pass. */
  wants(key: string): boolean
  onElement(key: string, index: number, value: unknown): void | Promise<void>
  /** Any other top-level member, parsed (skipped members of wanted keys never reach it). */
  onMember?(key: string, value: unknown): void
}

export interface ScanOptions {
  /** Top-level members that must be arrays (their elements are streamed). */
  readonly arrays: ReadonlySet<string>
  readonly chunkBytes?: number
  /** Largest single element or member accepted. */
  readonly maxElementBytes?: number
  readonly onBytes?: (done: number, total: number) => void
}

export interface ScanSummary {
  /** Top-level keys in file order. */
  readonly keys: string[]
  /** Elements per streamed array. */
  readonly lengths: Map<string, number>
}

const enum Mode {
  Start,
  KeyOrEnd,
  Key,
  Colon,
  Value,
  AfterValue,
  ArrayStart,
  ElementOrEnd,
  Element,
  AfterElement,
  Member,
  End,
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09

export async function scanJsonSections(file: string, handlers: SectionHandlers, options: ScanOptions): Promise<ScanSummary> {
  const maxElement = options.maxElementBytes ?? 256 * 1024 * 1024
  const handle = await open(file, 'r')
  const total = (await handle.stat()).size
  const buffer = Buffer.allocUnsafe(options.chunkBytes ?? 1 << 20)
  const keys: string[] = []
  const lengths = new Map<string, number>()

  let mode = Mode.Start
  let key = ''
  let keyBytes: number[] = []
  let index = 0
  // Inside an element or member: string/escape state, depth, and the bytes collected so far.
  let inString = false
  let escaped = false
  let depth = 0
  let scalar = false
  let collect = false
  let pieces: Buffer[] = []
  let pieceStart = 0
  let collected = 0
  let offset = 0
  let valueOffset = 0

  const where = (): (string | number)[] => (mode === Mode.Element || mode === Mode.ElementOrEnd || mode === Mode.AfterElement ? [key, index] : key ? [key] : [])
  const fail = (reason: string, path = where()): never => {
    throw new JsonSyntaxError(path, reason)
  }
  const describe = (byte: number, at: number): string =>
    byte >= 0x20 && byte < 0x7f ? `character '${String.fromCharCode(byte)}' at byte ${at}` : `byte 0x${byte.toString(16)} at byte ${at}`

  const finishValue = async (bytes: Buffer, path: (string | number)[], at = valueOffset): Promise<unknown> => {
    if (!isUtf8(bytes)) diagnoseJson(bytes, path, at)
    let value: unknown
    try {
      value = JSON.parse(bytes.toString('utf8'))
    } catch (error) {
      diagnoseJson(bytes, path, at)
      fail(error instanceof Error ? error.message : String(error), path)
    }
    return value
  }

  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset)
      if (bytesRead === 0) break
      const chunk = buffer.subarray(0, bytesRead)
      pieceStart = 0
      for (let i = 0; i < bytesRead; i++) {
        let byte = chunk[i]!
        if ((mode === Mode.Element || mode === Mode.Member) && !scalar && !escaped) {
          // Fast path through the bulk of a value: skip to the next byte that matters (most of a
          // COCO file is RLE strings and number lists), without the per-byte dispatch below.
          if (inString) while (byte !== QUOTE && byte !== BACKSLASH && ++i < bytesRead) byte = chunk[i]!
          else while (byte !== QUOTE && byte !== 0x5b && byte !== 0x5d && byte !== 0x7b && byte !== 0x7d && ++i < bytesRead) byte = chunk[i]!
          if (i === bytesRead) break
        }
        switch (mode) {
          case Mode.Start:
            if (isSpace(byte)) break
            if (byte !== 0x7b) fail(`the file must hold one JSON object (COCO), found ${describe(byte, offset + i)}`)
            mode = Mode.KeyOrEnd
            break
          case Mode.KeyOrEnd:
          case Mode.AfterValue:
            if (isSpace(byte)) break
            if (mode === Mode.AfterValue && byte === 0x2c) {
              mode = Mode.KeyOrEnd
              key = ''
              break
            }
            if (byte === 0x7d && (mode === Mode.AfterValue || keys.length === 0)) {
              mode = Mode.End
              break
            }
            if (mode === Mode.AfterValue) fail(`expected ',' or '}' after the value, found ${describe(byte, offset + i)}`)
            if (byte !== QUOTE) fail(`expected a key in double quotes, found ${describe(byte, offset + i)}`, [])
            mode = Mode.Key
            keyBytes = [QUOTE]
            escaped = false
            break
          case Mode.Key:
            keyBytes.push(byte)
            if (keyBytes.length > 4096) fail('a top-level key is longer than 4096 bytes', [])
            if (escaped) escaped = false
            else if (byte === BACKSLASH) escaped = true
            else if (byte === QUOTE) {
              const raw = Buffer.from(keyBytes)
              key = (await finishValue(raw, [], offset + i + 1 - raw.length)) as string
              if (keys.includes(key)) fail(`the top-level key "${key}" appears twice`, [key])
              keys.push(key)
              mode = Mode.Colon
            }
            break
          case Mode.Colon:
            if (isSpace(byte)) break
            if (byte !== 0x3a) fail(`expected ':' after the key, found ${describe(byte, offset + i)}`)
            mode = Mode.Value
            break
          case Mode.Value:
            if (isSpace(byte)) break
            if (options.arrays.has(key)) {
              if (byte !== 0x5b) fail(`must be an array, found ${describe(byte, offset + i)}`)
              mode = Mode.ElementOrEnd
              index = 0
              lengths.set(key, 0)
              break
            }
            mode = Mode.Member
            collect = true
            startValue(byte, i)
            break
          case Mode.ElementOrEnd:
          case Mode.AfterElement:
            if (isSpace(byte)) break
            if (byte === 0x5d && (mode === Mode.AfterElement || index === 0)) {
              lengths.set(key, mode === Mode.AfterElement ? index + 1 : 0)
              mode = Mode.AfterValue
              break
            }
            if (mode === Mode.AfterElement) {
              if (byte !== 0x2c) fail(`expected ',' or ']' after this element, found ${describe(byte, offset + i)}`)
              index++
              mode = Mode.ElementOrEnd
              break
            }
            mode = Mode.Element
            collect = handlers.wants(key)
            startValue(byte, i)
            break
          case Mode.Element:
          case Mode.Member: {
            // `end` becomes the exclusive end of the value once it is complete.
            let end = -1
            if (inString) {
              if (escaped) escaped = false
              else if (byte === BACKSLASH) escaped = true
              else if (byte === QUOTE) {
                inString = false
                if (depth === 0) end = i + 1
              }
            } else if (scalar) {
              if (byte === 0x2c || byte === 0x5d || byte === 0x7d || isSpace(byte)) {
                end = i
                i-- // the delimiter belongs to the enclosing structure
              }
            } else if (byte === QUOTE) inString = true
            else if (byte === 0x7b || byte === 0x5b) {
              if (++depth > MAX_JSON_DEPTH) {
                diagnoseJson(collect ? gather(chunk, i + 1) : await reread(offset + i + 1), where(), valueOffset)
                fail(`nested deeper than ${MAX_JSON_DEPTH} levels`)
              }
            } else if (byte === 0x7d || byte === 0x5d) {
              if (--depth === 0) end = i + 1
            }
            if (end < 0) break
            const bytes = collect ? gather(chunk, Math.max(end, pieceStart)) : null
            const path: (string | number)[] = mode === Mode.Element ? [key, index] : [key]
            if (mode === Mode.Element) {
              mode = Mode.AfterElement
              if (bytes) await handlers.onElement(key, index, await finishValue(bytes, path))
            } else {
              mode = Mode.AfterValue
              if (bytes) handlers.onMember?.(key, await finishValue(bytes, path))
            }
            collect = false
            break
          }
          case Mode.End:
            if (!isSpace(byte)) fail(`unexpected ${describe(byte, offset + i)} after the end of the JSON object`, [])
            break
        }
      }
      if (collect && (mode === Mode.Element || mode === Mode.Member)) {
        pieces.push(Buffer.from(chunk.subarray(pieceStart)))
        collected += bytesRead - pieceStart
        if (collected > maxElement) fail(`this record is larger than ${Math.round(maxElement / 2 ** 20)} MB`)
      }
      offset += bytesRead
      options.onBytes?.(offset, total)
    }
    if (mode !== Mode.End) {
      if (mode === Mode.Element || mode === Mode.Member) diagnoseJson(collect ? Buffer.concat(pieces) : await reread(offset), where(), valueOffset)
      fail(mode === Mode.Start ? 'the file is empty' : 'the file ends before the JSON is complete (truncated?)')
    }
  } finally {
    await handle.close()
  }
  return { keys, lengths }

  /** A value starts with `byte`, at index `i` of the current chunk. */
  function startValue(byte: number, i: number): void {
    pieces = []
    pieceStart = i
    valueOffset = offset + i
    collected = 0
    inString = byte === QUOTE
    escaped = false
    scalar = !(byte === 0x7b || byte === 0x5b || byte === QUOTE)
    depth = byte === 0x7b || byte === 0x5b ? 1 : 0
  }

  /** The bytes of the current value up to `end`, read again from the file (for diagnosing a value this pass did not keep). */
  async function reread(end: number): Promise<Buffer> {
    const length = Math.min(end - valueOffset, maxElement)
    const bytes = Buffer.alloc(length)
    await handle.read(bytes, 0, length, valueOffset)
    return bytes
  }

  function gather(chunk: Buffer, end: number): Buffer {
    const last = chunk.subarray(pieceStart, end)
    if (collected + last.length > maxElement) fail(`this record is larger than ${Math.round(maxElement / 2 ** 20)} MB`)
    return pieces.length === 0 ? Buffer.from(last) : Buffer.concat([...pieces, last])
  }
}
