/**
 * Runs the engine over a PerSeg-layout dataset and keeps, per test image, the best proposal with
 * its signals and its IoU with the ground truth: the raw material for judging a confidence and
 * for simulating an annotator. Every image gets a proposal (absent threshold 0), so absent
 * images contribute the wrong proposals a confidence must rank low.
 */
import { decodeRle, type BinaryMask } from '../../../common/mask'
import type { ProposalSignals } from '../../../common/persam/signals'
import { PropagationRunner, type PropagationOptions } from '../propagation/propagationRunner'
import type { SamRuntime } from '../sam/samRuntime'
import { readMaskImage } from '../images/maskPng'
import { readPersegDataset } from './persegDataset'

export interface CollectedProposal {
  readonly object: string
  readonly stem: string
  /** The ground truth shows the object. */
  readonly present: boolean
  /** IoU with the ground-truth instance(s) the proposal touches (0 on absent images or with no mask). */
  readonly iou: number
  /** The engine's confidence (the prior). */
  readonly prior: number
  readonly signals: ProposalSignals
}

/** 4-connected component labels (0 = background). */
function componentLabels(mask: BinaryMask): Int32Array {
  const { width, data } = mask
  const labels = new Int32Array(data.length)
  let next = 0
  const stack: number[] = []
  for (let start = 0; start < data.length; start++) {
    if (!data[start] || labels[start]) continue
    labels[start] = ++next
    stack.push(start)
    while (stack.length > 0) {
      const p = stack.pop()!
      const x = p % width
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width]) {
        if (q < 0 || q >= data.length || !data[q] || labels[q]) continue
        labels[q] = next
        stack.push(q)
      }
    }
  }
  return labels
}

/**
 * IoU of `proposal` with the ground-truth components it overlaps: a proposal covering one of two
 * instances scores as well as it should, not half.
 */
export function instanceIou(proposal: BinaryMask, truth: BinaryMask): number {
  const labels = componentLabels(truth)
  const touched = new Set<number>()
  for (let i = 0; i < labels.length; i++) if (proposal.data[i] && labels[i]) touched.add(labels[i]!)
  if (touched.size === 0) return 0
  let intersection = 0
  let union = 0
  for (let i = 0; i < labels.length; i++) {
    const inTruth = labels[i]! > 0 && touched.has(labels[i]!)
    const inProposal = proposal.data[i]! > 0
    if (inTruth && inProposal) intersection++
    if (inTruth || inProposal) union++
  }
  return union > 0 ? intersection / union : 0
}

export async function collectProposals(
  runtime: SamRuntime,
  root: string,
  options: Omit<PropagationOptions, 'signal' | 'absentThreshold' | 'maxInstances'>,
  onProgress?: (done: number, total: number) => void,
): Promise<CollectedProposal[]> {
  const { objects } = await readPersegDataset(root)
  const total = objects.reduce((sum, object) => sum + object.tests.length, 0)
  const collected: CollectedProposal[] = []
  for (const object of objects) {
    const reference = { file: object.reference.imageFile, mask: await readMaskImage(object.reference.maskFile) }
    const runner = await PropagationRunner.prepare(runtime, [reference], { ...options, absentThreshold: 0, maxInstances: 1 })
    const maskFiles = new Map(object.tests.map((image) => [image.stem, image.maskFile]))
    const items = object.tests.map((image) => ({ id: image.stem, file: image.imageFile }))
    for await (const event of runner.run(items)) {
      if (event.kind === 'failed') throw new Error(`${event.image.file}: ${event.error}`)
      const truth = await readMaskImage(maskFiles.get(event.image.id)!)
      const present = truth.data.some((v) => v > 0)
      const instance = event.result.instances[0]
      if (instance) {
        const iou = present ? instanceIou(decodeRle(event.masks[0]!) as BinaryMask, truth) : 0
        collected.push({ object: object.name, stem: event.image.id, present, iou, prior: instance.confidence, signals: instance.signals })
      }
      onProgress?.(collected.length, total)
    }
  }
  return collected
}
