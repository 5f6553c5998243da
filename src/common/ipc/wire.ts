/**
 * JSON with typed arrays. Electron's IPC carries typed arrays natively (structured clone); the
 * browser-mode server speaks JSON, so binary payloads (mask bitmaps, logits) are tagged and
 * base64-encoded here. Both transports therefore hand the renderer the same values.
 */
import { base64Decode, base64Encode } from '../util/base64'

const TYPED_ARRAY_TAGS = ['u8', 'u16', 'u32', 'i32', 'f32', 'f64'] as const
type TypedArrayTag = (typeof TYPED_ARRAY_TAGS)[number]

interface TaggedArray {
  readonly $typed: TypedArrayTag
  readonly base64: string
}

function tagOf(value: unknown): TypedArrayTag | null {
  if (value instanceof Uint8Array) return 'u8'
  if (value instanceof Uint16Array) return 'u16'
  if (value instanceof Uint32Array) return 'u32'
  if (value instanceof Int32Array) return 'i32'
  if (value instanceof Float32Array) return 'f32'
  if (value instanceof Float64Array) return 'f64'
  return null
}

function fromBytes(tag: TypedArrayTag, bytes: Uint8Array): ArrayBufferView {
  // Copy into a fresh, aligned buffer: the decoded bytes' offset may not be a multiple of 4 or 8.
  const buffer = bytes.slice().buffer
  switch (tag) {
    case 'u8':
      return new Uint8Array(buffer)
    case 'u16':
      return new Uint16Array(buffer)
    case 'u32':
      return new Uint32Array(buffer)
    case 'i32':
      return new Int32Array(buffer)
    case 'f32':
      return new Float32Array(buffer)
    case 'f64':
      return new Float64Array(buffer)
  }
}

function isTaggedArray(value: unknown): value is TaggedArray {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  return (
    TYPED_ARRAY_TAGS.includes(record.$typed as TypedArrayTag) &&
    typeof record.base64 === 'string' &&
    Object.keys(record).length === 2
  )
}

export function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    const tag = tagOf(item)
    if (tag === null) return item
    const view = item as ArrayBufferView
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
    return { $typed: tag, base64: base64Encode(bytes) } satisfies TaggedArray
  })
}

export function fromWireJson(text: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => {
    if (!isTaggedArray(item)) return item
    return fromBytes(item.$typed, base64Decode(item.base64))
  })
}
