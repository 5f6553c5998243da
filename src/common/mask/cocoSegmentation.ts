/**
 * COCO `segmentation` values as they appear in JSON: validated parsing of RLE objects (list or
 * string counts) and polygon lists, and the JSON forms the exporter writes. Errors name the field;
 * the COCO importer prefixes the JSON path.
 */
import { MaskFormatError, checkedSize, describe } from './errors'
import { rasterizePolygons } from './polygon'
import { cocoRle, type CocoRle, type CompressedCocoRle } from './rle'
import { compressRle, decompressRle } from './rleString'

/** Uncompressed RLE as JSON: `{ size: [h, w], counts: [...] }`. */
export interface CocoRleJson {
  size: [number, number]
  counts: number[]
}

/** Compressed RLE as JSON: `{ size: [h, w], counts: "..." }` (what pycocotools writes). */
export interface CompressedCocoRleJson {
  size: [number, number]
  counts: string
}

/** Parses an RLE object `{size: [h, w], counts: number[] | string}` from JSON; throws MaskFormatError. */
export function parseCocoRle(value: unknown, field = 'segmentation'): CocoRle {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MaskFormatError(`${field} must be an object with size and counts, got ${describe(value)}`)
  }
  const { size, counts } = value as { size?: unknown; counts?: unknown }
  if (!Array.isArray(size) || size.length !== 2) throw new MaskFormatError(`${field}.size must be [height, width], got ${describe(size)}`)
  const [height, width] = size as unknown[]
  checkedSize(width, height, `${field}.size`)
  if (typeof counts === 'string') return decompressRle({ size: [height as number, width as number], counts }, field)
  if (!Array.isArray(counts)) throw new MaskFormatError(`${field}.counts must be a list of integers or a string, got ${describe(counts)}`)
  return cocoRle(height as number, width as number, counts as number[], field)
}

/** A segmentation (polygon list or RLE object) as RLE, like pycocotools' annToRLE; an RLE sized unlike the image is an error. */
export function segmentationToRle(segmentation: unknown, height: number, width: number, field = 'segmentation'): CocoRle {
  if (Array.isArray(segmentation)) return rasterizePolygons(parsePolygons(segmentation, field), height, width, field)
  const rle = parseCocoRle(segmentation, field)
  if (rle.size[0] !== height || rle.size[1] !== width) {
    throw new MaskFormatError(`${field}.size [${rle.size.join(',')}] does not match the image size [${height},${width}]`)
  }
  return rle
}

/** Validates a COCO polygon list: each polygon an even-length list of at least 6 finite numbers. */
export function parsePolygons(value: unknown, field = 'segmentation'): number[][] {
  if (!Array.isArray(value) || value.length === 0) throw new MaskFormatError(`${field} must be a non-empty list of polygons`)
  return value.map((polygon: unknown, i) => {
    if (!Array.isArray(polygon)) throw new MaskFormatError(`${field}[${i}] must be a list of coordinates, got ${describe(polygon)}`)
    if (polygon.length % 2 !== 0) throw new MaskFormatError(`${field}[${i}] has an odd number of coordinates (${polygon.length})`)
    if (polygon.length < 6) throw new MaskFormatError(`polygon ${i} has ${polygon.length / 2} points; at least 3 are needed (${field}[${i}])`)
    polygon.forEach((v: unknown, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new MaskFormatError(`${field}[${i}][${j}] must be a finite number, got ${describe(v)}`)
    })
    return polygon as number[]
  })
}

/** Uncompressed JSON form of an RLE. */
export function cocoRleToJson(rle: CocoRle): CocoRleJson {
  return { size: [rle.size[0], rle.size[1]], counts: Array.from(rle.counts) }
}

/** Compressed JSON form of an RLE (the string pycocotools' `encode` produces). */
export function compressedRleToJson(rle: CocoRle | CompressedCocoRle): CompressedCocoRleJson {
  const compressed = typeof rle.counts === 'string' ? (rle as CompressedCocoRle) : compressRle(rle as CocoRle)
  return { size: [compressed.size[0], compressed.size[1]], counts: compressed.counts }
}
