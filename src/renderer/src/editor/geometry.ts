/**
 * Coordinate spaces, branded so that image pixels and screen (canvas CSS) pixels cannot be mixed
 * by accident. Image pixels are the original image's pixels (x = column, y = row), the space every
 * prompt, stroke and mask in the contract uses.
 */
declare const space: unique symbol

export type ImagePoint = { readonly x: number; readonly y: number } & { readonly [space]: 'image' }
export type ScreenPoint = { readonly x: number; readonly y: number } & { readonly [space]: 'screen' }

export const imagePoint = (x: number, y: number): ImagePoint => ({ x, y }) as ImagePoint
export const screenPoint = (x: number, y: number): ScreenPoint => ({ x, y }) as ScreenPoint

export interface Size {
  readonly width: number
  readonly height: number
}

/** An axis-aligned box in image pixels, normalised so x0 <= x1 and y0 <= y1. */
export interface ImageBox {
  readonly x0: number
  readonly y0: number
  readonly x1: number
  readonly y1: number
}

/**
 * Prompt and stroke coordinates are sent to 1/100 pixel: finer carries no information for the
 * decoder or the rasteriser, and it keeps screen-to-image round-off (350.00000000000006) out of requests.
 */
export function roundCoordinate(value: number): number {
  return Math.round(value * 100) / 100
}

export function roundPoint(point: ImagePoint): ImagePoint {
  return imagePoint(roundCoordinate(point.x), roundCoordinate(point.y))
}

export function roundBox(box: ImageBox): ImageBox {
  return { x0: roundCoordinate(box.x0), y0: roundCoordinate(box.y0), x1: roundCoordinate(box.x1), y1: roundCoordinate(box.y1) }
}

export function boxFromCorners(a: ImagePoint, b: ImagePoint): ImageBox {
  return { x0: Math.min(a.x, b.x), y0: Math.min(a.y, b.y), x1: Math.max(a.x, b.x), y1: Math.max(a.y, b.y) }
}

/** Clamps a box to the image; null when nothing of it is left with a positive area. */
export function clampBox(box: ImageBox, image: Size): ImageBox | null {
  const clamped = {
    x0: Math.max(0, Math.min(image.width, box.x0)),
    y0: Math.max(0, Math.min(image.height, box.y0)),
    x1: Math.max(0, Math.min(image.width, box.x1)),
    y1: Math.max(0, Math.min(image.height, box.y1)),
  }
  return clamped.x1 > clamped.x0 && clamped.y1 > clamped.y0 ? clamped : null
}

export function isInsideImage(point: ImagePoint, image: Size): boolean {
  return point.x >= 0 && point.y >= 0 && point.x < image.width && point.y < image.height
}

export function screenDistance(a: ScreenPoint, b: ScreenPoint): number {
  return Math.hypot(a.x - b.x, a.y - b.y)
}
