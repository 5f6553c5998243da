/**
 * `persam-studio propagate --queue redis://HOST:PORT`: the target is prepared here, each image is
 * segmented by queue workers (`persam-studio worker`, which read the files at the same paths or
 * through their --map-path), and the results are kept in memory until the COCO file is written.
 */
import { randomBytes } from 'node:crypto'
import type { PersamMethod, PreparedTarget } from '../common/persam/target'
import { modelFingerprint } from '../main/services/queue/modelFingerprint'
import { QueueCoordinator, type ImageOutcome } from '../main/services/queue/queueCoordinator'
import type { CocoImageEntry } from '../main/services/exchange/coco/cocoWriter'
import { encodeTarget, TASK_FORMAT, type RunSpec } from '../main/services/queue/taskCodec'

export interface QueuedImageResult {
  readonly id: number
  readonly file: string
  readonly outcome: ImageOutcome
}

export async function propagateOnQueue(
  url: string,
  modelDir: string,
  target: PreparedTarget,
  segment: RunSpec['segment'],
  files: readonly string[],
  onProgress: (done: number, total: number) => void,
): Promise<QueuedImageResult[]> {
  const model = await modelFingerprint({ dir: modelDir })
  const outcomes = new Map<number, ImageOutcome>()
  const images = files.map((file, index) => ({ imageId: index + 1, file }))
  await new QueueCoordinator({
    url,
    spec: { format: TASK_FORMAT, run: `cli-${randomBytes(6).toString('hex')}`, modelSha: model.sha, segment, target: encodeTarget(target), images: { kind: 'path' } },
    ledger: {
      pending: () => images.filter((image) => !outcomes.has(image.imageId)),
      pendingCount: () => images.length - outcomes.size,
      isPending: (imageId) => !outcomes.has(imageId),
      record: (recorded) => {
        for (const { imageId, outcome } of recorded) outcomes.set(imageId, outcome)
        onProgress(outcomes.size, images.length)
      },
    },
    log: (message) => process.stderr.write(`${message}\n`),
  }).run()
  return images.map((image) => ({ id: image.imageId, file: image.file, outcome: outcomes.get(image.imageId)! }))
}

/** COCO images and annotations of queued results, in the shape the in-process command writes (propagate.ts writes both through the COCO writer). */
export function cocoOfQueued(results: readonly QueuedImageResult[], method: PersamMethod, fileName: (file: string) => string) {
  const images: CocoImageEntry[] = []
  const annotations: object[] = []
  const failures: string[] = []
  let absent = 0
  for (const { id, file, outcome } of results) {
    if ('error' in outcome) {
      failures.push(`${fileName(file)}: ${outcome.error}`)
      continue
    }
    if (outcome.width === undefined || outcome.height === undefined) {
      failures.push(`${fileName(file)}: the worker did not report the image's size (an older worker?)`)
      continue
    }
    images.push({ id, file_name: fileName(file), width: outcome.width, height: outcome.height })
    if (outcome.proposals.some((proposal) => proposal.status === 'absent')) absent++
    for (const proposal of outcome.proposals) {
      if (!proposal.mask) continue
      const details = proposal.method as { positive?: unknown; chosenMask?: unknown; firstCall?: unknown; signals?: unknown } | null
      annotations.push({
        id: annotations.length + 1,
        image_id: id,
        category_id: 1,
        segmentation: { size: [...proposal.mask.size], counts: proposal.mask.counts },
        area: proposal.mask.area,
        bbox: [...proposal.mask.bbox],
        iscrowd: 0,
        score: Number((proposal.score ?? 0).toFixed(4)),
        persam: { method, positive: details?.positive, chosenMask: details?.chosenMask, firstCall: details?.firstCall, signals: details?.signals },
      })
    }
  }
  return { images, annotations, failures, absent }
}
