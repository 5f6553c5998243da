/** Standard base64 (RFC 4648, with padding), without Buffer or btoa so common stays runtime-free. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const LOOKUP = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i

export function base64Encode(bytes: Uint8Array): string {
  const parts: string[] = []
  const CHUNK = 3 * 8192
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length)
    let out = ''
    let i = start
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
      out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!
    }
    const rest = end - i
    if (rest === 1) {
      const n = bytes[i]! << 16
      out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '=='
    } else if (rest === 2) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
      out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '='
    }
    parts.push(out)
  }
  return parts.join('')
}

export function base64Decode(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error(`invalid base64: length ${text.length} is not a multiple of 4`)
  let padding = 0
  if (text.endsWith('==')) padding = 2
  else if (text.endsWith('=')) padding = 1
  const out = new Uint8Array((text.length / 4) * 3 - padding)
  let o = 0
  for (let i = 0; i < text.length; i += 4) {
    const a = sextet(text, i)
    const b = sextet(text, i + 1)
    const c = text[i + 2] === '=' ? 0 : sextet(text, i + 2)
    const d = text[i + 3] === '=' ? 0 : sextet(text, i + 3)
    const n = (a << 18) | (b << 12) | (c << 6) | d
    if (o < out.length) out[o++] = n >> 16
    if (o < out.length) out[o++] = (n >> 8) & 255
    if (o < out.length) out[o++] = n & 255
  }
  return out
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index)
  const value = code < 128 ? LOOKUP[code]! : -1
  if (value < 0) throw new Error(`invalid base64: character ${JSON.stringify(text[index])} at ${index}`)
  return value
}
