/**
 * Windows BMP, which sharp (libvips without ImageMagick) cannot read: the header for probing and
 * a decoder to 8-bit RGB for the uncompressed forms cameras and tools write (1/4/8-bit palette,
 * 16/24/32-bit, BI_RGB or BI_BITFIELDS). RLE-compressed and JPEG/PNG-in-BMP files are refused
 * with a message saying so.
 */

export interface BmpHeader {
  readonly width: number
  readonly height: number
  readonly bitsPerPixel: number
  readonly compression: number
  /** Rows stored top row first (negative height in the file). */
  readonly topDown: boolean
  readonly pixelOffset: number
  readonly headerSize: number
}

const BI_RGB = 0
const BI_BITFIELDS = 3
const BI_ALPHABITFIELDS = 6
const MAX_SIDE = 1 << 16

export class BmpFormatError extends Error {
  override readonly name = 'BmpFormatError'
}

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d
}

export function readBmpHeader(bytes: Uint8Array): BmpHeader {
  if (bytes.length < 26 || !isBmp(bytes)) throw new BmpFormatError('not a BMP file (no "BM" signature)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const pixelOffset = view.getUint32(10, true)
  const headerSize = view.getUint32(14, true)
  let width: number
  let rawHeight: number
  let bitsPerPixel: number
  let compression = BI_RGB
  if (headerSize === 12) {
    width = view.getUint16(18, true)
    rawHeight = view.getInt16(20, true)
    bitsPerPixel = view.getUint16(24, true)
  } else if (headerSize >= 40 && bytes.length >= 14 + 40) {
    width = view.getInt32(18, true)
    rawHeight = view.getInt32(22, true)
    bitsPerPixel = view.getUint16(28, true)
    compression = view.getUint32(30, true)
  } else {
    throw new BmpFormatError(`unsupported BMP header size ${headerSize}`)
  }
  const height = Math.abs(rawHeight)
  if (!(width > 0 && height > 0 && width <= MAX_SIDE && height <= MAX_SIDE)) throw new BmpFormatError(`BMP size ${width}x${rawHeight} is invalid`)
  return { width, height, bitsPerPixel, compression, topDown: rawHeight < 0, pixelOffset, headerSize }
}

/** Decodes to RGB, row-major, top row first (HWC, 3 bytes per pixel). */
export function decodeBmp(bytes: Uint8Array): { width: number; height: number; rgb: Uint8Array } {
  const header = readBmpHeader(bytes)
  const { width, height, bitsPerPixel: bpp } = header
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (![BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS].includes(header.compression)) {
    throw new BmpFormatError(`BMP compression ${header.compression} (RLE or embedded JPEG/PNG) is not supported`)
  }
  if (![1, 4, 8, 16, 24, 32].includes(bpp)) throw new BmpFormatError(`BMP with ${bpp} bits per pixel is not supported`)
  const stride = Math.ceil((width * bpp) / 32) * 4
  if (header.pixelOffset + stride * height > bytes.length) throw new BmpFormatError('BMP pixel data is truncated')

  const palette: number[] = []
  if (bpp <= 8) {
    const entrySize = header.headerSize === 12 ? 3 : 4
    const paletteStart = 14 + header.headerSize
    const declared = header.headerSize >= 40 ? view.getUint32(46, true) : 0
    const entries = Math.min(declared || 1 << bpp, Math.floor((header.pixelOffset - paletteStart) / entrySize))
    for (let i = 0; i < entries; i++) {
      const at = paletteStart + i * entrySize
      palette.push((bytes[at + 2]! << 16) | (bytes[at + 1]! << 8) | bytes[at]!)
    }
  }
  const masks = channelMasks(header, view, bpp)
  const rgb = new Uint8Array(width * height * 3)
  for (let y = 0; y < height; y++) {
    const row = header.pixelOffset + (header.topDown ? y : height - 1 - y) * stride
    let out = y * width * 3
    for (let x = 0; x < width; x++, out += 3) {
      let color: number
      if (bpp <= 8) {
        const bit = x * bpp
        const index = (bytes[row + (bit >> 3)]! >> (8 - bpp - (bit & 7))) & ((1 << bpp) - 1)
        color = palette[index] ?? 0
        rgb[out] = (color >> 16) & 255
        rgb[out + 1] = (color >> 8) & 255
        rgb[out + 2] = color & 255
        continue
      }
      if (bpp === 24) {
        const at = row + x * 3
        rgb[out] = bytes[at + 2]!
        rgb[out + 1] = bytes[at + 1]!
        rgb[out + 2] = bytes[at]!
        continue
      }
      color = bpp === 16 ? view.getUint16(row + x * 2, true) : view.getUint32(row + x * 4, true)
      for (let c = 0; c < 3; c++) rgb[out + c] = scaleChannel(color, masks[c]!)
    }
  }
  return { width, height, rgb }
}

/** Red, green, blue masks: from the header for BITFIELDS, else the BI_RGB defaults (5-5-5, 8-8-8). */
function channelMasks(header: BmpHeader, view: DataView, bpp: number): number[] {
  if (header.compression !== BI_RGB && header.headerSize >= 40 && view.byteLength >= 14 + 40 + 12) {
    // BITFIELDS masks follow a 40-byte header, or sit inside the V4/V5 header at the same offset.
    return [view.getUint32(54, true), view.getUint32(58, true), view.getUint32(62, true)]
  }
  return bpp === 16 ? [0x7c00, 0x03e0, 0x001f] : [0xff0000, 0x00ff00, 0x0000ff]
}

function scaleChannel(color: number, mask: number): number {
  if (mask === 0) return 0
  let shift = 0
  while (((mask >>> shift) & 1) === 0) shift++
  const max = mask >>> shift
  return Math.round((((color & mask) >>> shift) * 255) / max)
}
