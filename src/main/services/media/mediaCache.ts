/**
 * Display copies of project images, made with sharp and cached on disk in the project's cache
 * folder by content hash: 256 px thumbnails for the image list, and previews whose longest side
 * is at most 4096 px for the canvas (browsers choke on 24-megapixel PNGs and cannot show TIFF).
 * EXIF orientation is applied, so the copies are in the same frame as the stored masks.
 */
import { mkdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { PREVIEW_MAX_SIDE, THUMBNAIL_SIDE, type MediaKind } from '../../../common/ipc/media'
import { writeAtomicWith } from '../fs/atomicWrite'
import { DEFAULT_MAX_IMAGE_PIXELS } from '../images/loadImage'
import { sharpSource } from '../images/sharpSource'

const SIZES: Record<MediaKind, number> = { preview: PREVIEW_MAX_SIDE, thumb: THUMBNAIL_SIDE }
const QUALITY: Record<MediaKind, number> = { preview: 90, thumb: 80 }

export class MediaCache {
  private readonly inFlight = new Map<string, Promise<string>>()

  constructor(private readonly cacheDir: string) {}

  /** The cached JPEG for an image (made on first request; concurrent requests share the work). */
  async file(source: string, contentHash: string, kind: MediaKind): Promise<string> {
    if (!/^[0-9a-f]{16,128}$/.test(contentHash)) throw new Error(`not a content hash: ${contentHash.slice(0, 40)}`)
    const target = path.join(this.cacheDir, 'media', kind, contentHash.slice(0, 2), `${contentHash}.jpg`)
    if (await stat(target).then((s) => s.isFile(), () => false)) return target
    const pending = this.inFlight.get(target)
    if (pending) return pending
    const work = this.render(source, target, kind).finally(() => this.inFlight.delete(target))
    this.inFlight.set(target, work)
    return work
  }

  private async render(source: string, target: string, kind: MediaKind): Promise<string> {
    await mkdir(path.dirname(target), { recursive: true })
    const side = SIZES[kind]
    const image = (await sharpSource(source, { limitInputPixels: DEFAULT_MAX_IMAGE_PIXELS }))
      .rotate()
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: QUALITY[kind], mozjpeg: kind === 'thumb' })
    await writeAtomicWith(target, async (temporary) => {
      await image.toFile(temporary)
    })
    return target
  }
}
