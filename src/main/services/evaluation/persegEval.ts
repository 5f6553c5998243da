/**
 * PerSeg evaluation as the reference's eval_miou.py does it: per object, pooled IoU over the test
 * images (summed intersections over summed unions), mIoU the unweighted mean over objects. bIoU
 * (Boundary IoU, band 2% of the diagonal) is pooled the same way, since the reference does not
 * say how its paper aggregated it. Also reports what PerSeg cannot: absent-target verdicts and
 * instance counts, when the dataset's manifest records them.
 */
import { boundaryOverlap, decodeRle, encodeRle, mergeRles, rleOverlap, type BinaryMask } from '../../../common/mask'
import { auroc } from '../../../common/calibration/metrics'
import type { PersamMethod } from '../../../common/persam/target'
import { PropagationRunner, type PropagationOptions } from '../propagation/propagationRunner'
import type { SamRuntime } from '../sam/samRuntime'
import { readMaskImage } from '../images/maskPng'
import { readPersegDataset, type PersegImage, type PersegObject } from './persegDataset'

export interface ImageScore {
  readonly stem: string
  readonly iou: number
  readonly instances: number
  readonly expectedInstances: number | null
  readonly absent: boolean
  readonly confidence: number
  readonly seconds: number
  readonly error?: string
}

export interface ObjectScore {
  readonly name: string
  readonly iou: number
  readonly biou: number
  readonly partsDifferInColour: boolean | null
  readonly images: readonly ImageScore[]
}

export interface EvalReport {
  readonly method: PersamMethod
  readonly modelId: string
  readonly options: Omit<PropagationOptions, 'signal'>
  readonly miou: number
  readonly mbiou: number
  readonly objects: readonly ObjectScore[]
  readonly secondsPerImage: number
  /** Images whose ground truth is empty, and how many of them were marked absent. */
  readonly absentTargets: { readonly images: number; readonly markedAbsent: number }
  /** Images with two instances (manifest), and how many got at least two masks. */
  readonly twoInstanceImages: { readonly images: number; readonly withTwoMasks: number }
  /** Images showing the target that were wrongly marked absent. */
  readonly missedTargets: number
  /** Objects left out because their files could not be read, and why (not counted in mIoU). */
  readonly skippedObjects: readonly { readonly name: string; readonly reason: string }[]
  /** Review-queue quality (calibration): how the confidence ranks good images above bad ones, and the verdict rates. */
  readonly confidenceQuality: ConfidenceQuality
}

export interface ConfidenceQuality {
  /**
   * AUROC of each image's best confidence: good = the target is present and the image's IoU is at
   * least `goodIou`; bad = everything else (absent targets, poor or missing masks). Null with one class.
   */
  readonly auroc: number | null
  readonly goodIou: number
  /** Share of absent-target images marked absent. */
  readonly absentRate: number
  /** Share of present-target images wrongly marked absent. */
  readonly missedRate: number
}

/** Good/bad at this IoU for the confidence's AUROC. */
export const GOOD_PROPOSAL_IOU = 0.5

export function confidenceQuality(images: readonly ImageScore[], absentTargets: EvalReport['absentTargets'], missedTargets: number): ConfidenceQuality {
  const scored = images.filter((image) => image.error === undefined)
  const good = scored.map((image) => image.expectedInstances !== 0 && image.iou >= GOOD_PROPOSAL_IOU)
  const present = scored.length - absentTargets.images
  return {
    auroc: auroc(scored.map((image) => image.confidence), good),
    goodIou: GOOD_PROPOSAL_IOU,
    absentRate: ratio(absentTargets.markedAbsent, absentTargets.images),
    missedRate: present > 0 ? missedTargets / present : 0,
  }
}

export interface EvalProgress {
  (done: number, total: number, object: string): void
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 1)

export async function evaluatePerseg(
  runtime: SamRuntime,
  root: string,
  options: Omit<PropagationOptions, 'signal'>,
  onProgress?: EvalProgress,
): Promise<EvalReport> {
  const dataset = await readPersegDataset(root)
  const skippedObjects = [...dataset.skipped]
  // Every mask of an object is read before its run, so an unreadable one skips the whole object.
  const objects: (PersegObject & { readonly masks: ReadonlyMap<string, BinaryMask> })[] = []
  for (const object of dataset.objects) {
    try {
      const masks = new Map<string, BinaryMask>()
      for (const image of [object.reference, ...object.tests]) masks.set(image.stem, await readMaskImage(image.maskFile))
      objects.push({ ...object, masks })
    } catch (error) {
      skippedObjects.push({ name: object.name, reason: error instanceof Error ? error.message : String(error) })
    }
  }
  const total = objects.reduce((sum, object) => sum + object.tests.length, 0)
  let done = 0
  let seconds = 0
  const absentTargets = { images: 0, markedAbsent: 0 }
  const twoInstanceImages = { images: 0, withTwoMasks: 0 }
  let missedTargets = 0
  const scores: ObjectScore[] = []
  for (const object of objects) {
    let runner: PropagationRunner
    try {
      runner = await PropagationRunner.prepare(runtime, [{ file: object.reference.imageFile, mask: object.masks.get(object.reference.stem)! }], options)
    } catch (error) {
      skippedObjects.push({ name: object.name, reason: error instanceof Error ? error.message : String(error) })
      done += object.tests.length
      continue
    }
    const byStem = new Map<string, PersegImage>(object.tests.map((image) => [image.stem, image]))
    let intersection = 0
    let union = 0
    let boundaryIntersection = 0
    let boundaryUnion = 0
    const images: ImageScore[] = []
    const items = object.tests.map((image) => ({ id: image.stem, file: image.imageFile }))
    let started = performance.now()
    for await (const event of runner.run(items)) {
      const elapsed = (performance.now() - started) / 1000
      seconds += elapsed
      const image = byStem.get(event.image.id)!
      const truth = object.masks.get(image.stem)!
      const truthRle = encodeRle(truth)
      const truthEmpty = truthRle.counts.length <= 1
      if (event.kind === 'failed') {
        images.push({ stem: image.stem, iou: 0, instances: 0, expectedInstances: image.instanceCount, absent: false, confidence: 0, seconds: elapsed, error: event.error })
      } else {
        const predicted = event.masks.length > 0 ? mergeRles(event.masks, 'union') : encodeRle({ ...truth, data: new Uint8Array(truth.data.length) })
        const overlap = rleOverlap(predicted, truthRle)
        intersection += overlap.intersection
        union += overlap.union
        const boundary = boundaryOverlap(truth, decodeRle(predicted) as BinaryMask)
        boundaryIntersection += boundary.intersection
        boundaryUnion += boundary.union
        const absent = event.result.absent
        if (truthEmpty) {
          absentTargets.images++
          if (absent) absentTargets.markedAbsent++
        } else if (absent) missedTargets++
        if (image.instanceCount === 2) {
          twoInstanceImages.images++
          if (event.masks.length >= 2) twoInstanceImages.withTwoMasks++
        }
        images.push({
          stem: image.stem,
          iou: ratio(overlap.intersection, overlap.union),
          instances: event.masks.length,
          expectedInstances: image.instanceCount,
          absent,
          confidence: event.result.bestConfidence,
          seconds: elapsed,
        })
      }
      onProgress?.(++done, total, object.name)
      started = performance.now()
    }
    scores.push({ name: object.name, iou: ratio(intersection, union), biou: ratio(boundaryIntersection, boundaryUnion), partsDifferInColour: object.partsDifferInColour, images })
  }
  const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length)
  return {
    method: options.method,
    modelId: runtime.model.id,
    options,
    miou: mean(scores.map((s) => s.iou)),
    mbiou: mean(scores.map((s) => s.biou)),
    objects: scores,
    secondsPerImage: seconds / Math.max(1, total),
    absentTargets,
    twoInstanceImages,
    missedTargets,
    skippedObjects,
    confidenceQuality: confidenceQuality(
      scores.flatMap((score) => score.images),
      absentTargets,
      missedTargets,
    ),
  }
}
