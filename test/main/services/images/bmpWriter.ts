/** Minimal BMP writers for tests (24-bit bottom-up, 8-bit palette top-down, 32-bit BITFIELDS). */

function header(width: number, height: number, bpp: number, paletteEntries: number, compression = 0, masks?: number[]): { bytes: Uint8Array; view: DataView; pixelOffset: number; stride: number } {
  const stride = Math.ceil((width * bpp) / 32) * 4
  const extra = masks ? 12 : 0
  const pixelOffset = 14 + 40 + extra + paletteEntries * 4
  const bytes = new Uint8Array(pixelOffset + stride * Math.abs(height))
  const view = new DataView(bytes.buffer)
  bytes[0] = 0x42
  bytes[1] = 0x4d
  view.setUint32(2, bytes.length, true)
  view.setUint32(10, pixelOffset, true)
  view.setUint32(14, 40, true)
  view.setInt32(18, width, true)
  view.setInt32(22, height, true)
  view.setUint16(26, 1, true)
  view.setUint16(28, bpp, true)
  view.setUint32(30, compression, true)
  view.setUint32(46, paletteEntries, true)
  masks?.forEach((mask, i) => view.setUint32(54 + i * 4, mask, true))
  return { bytes, view, pixelOffset, stride }
}

/** rgb: HWC, top row first. */
export function bmp24(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const { bytes, pixelOffset, stride } = header(width, height, 24, 0)
  for (let y = 0; y < height; y++) {
    const row = pixelOffset + (height - 1 - y) * stride
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * 3
      bytes[row + x * 3] = rgb[src + 2]!
      bytes[row + x * 3 + 1] = rgb[src + 1]!
      bytes[row + x * 3 + 2] = rgb[src]!
    }
  }
  return bytes
}

export function bmp8TopDown(width: number, height: number, indices: Uint8Array, palette: [number, number, number][]): Uint8Array {
  const { bytes, pixelOffset, stride } = header(width, -height, 8, palette.length)
  palette.forEach(([r, g, b], i) => bytes.set([b, g, r, 0], 54 + i * 4))
  for (let y = 0; y < height; y++) bytes.set(indices.subarray(y * width, (y + 1) * width), pixelOffset + y * stride)
  return bytes
}

export function bmp32Bitfields(width: number, height: number, rgb: Uint8Array): Uint8Array {
  const { bytes, view, pixelOffset, stride } = header(width, height, 32, 0, 3, [0x0000ff00, 0x00ff0000, 0xff000000])
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const src = (y * width + x) * 3
      view.setUint32(pixelOffset + (height - 1 - y) * stride + x * 4, ((rgb[src]! << 8) | (rgb[src + 1]! << 16) | (rgb[src + 2]! << 24)) >>> 0, true)
    }
  }
  return bytes
}
