/**
 * PerSAM and PerSAM-F with the real toy model (onnxruntime inference) on the seeded synthetic
 * PerSeg-like set (24 objects, 157 images). The floors sit below what the implementation
 * reaches (see the issue note): PerSAM mIoU 0.817, PerSAM-F 0.831; on objects whose parts
 * differ in colour 0.759 vs 0.773; absent targets 14/16 and 16/16 marked; two-instance images
 * 25/25 and 24/25 with two masks.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evaluatePerseg, type EvalReport } from '../../../../src/main/services/evaluation/persegEval'
import { SamRuntime } from '../../../../src/main/services/sam/samRuntime'
import { writeSyntheticDataset } from '../../../../src/main/services/synthetic/writeSyntheticDataset'

let runtime: SamRuntime
const reports: Record<string, EvalReport> = {}

beforeAll(async () => {
  const data = mkdtempSync(path.join(tmpdir(), 'persam-synthetic-'))
  await writeSyntheticDataset(data)
  runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'] })
  for (const method of ['persam', 'persam-f'] as const) reports[method] = await evaluatePerseg(runtime, data, { method, maxInstances: 2 })
}, 600_000)

afterAll(async () => {
  await runtime?.close()
})

const meanIou = (report: EvalReport, differ: boolean): number => {
  const objects = report.objects.filter((object) => object.partsDifferInColour === differ)
  return objects.reduce((sum, object) => sum + object.iou, 0) / objects.length
}

describe('PerSAM engine on the synthetic set (toy model)', () => {
  it('reaches the mIoU floors for both methods', () => {
    expect(reports.persam!.objects).toHaveLength(24)
    expect(reports.persam!.miou).toBeGreaterThan(0.75)
    expect(reports['persam-f']!.miou).toBeGreaterThan(0.77)
    expect(reports.persam!.mbiou).toBeGreaterThan(0.6)
    expect(reports['persam-f']!.mbiou).toBeGreaterThan(0.6)
  })

  it('PerSAM-F is at least as good as PerSAM where the parts differ in colour', () => {
    expect(meanIou(reports['persam-f']!, true)).toBeGreaterThanOrEqual(meanIou(reports.persam!, true))
  })

  it('marks most absent-target images absent and misses few present ones', () => {
    for (const report of Object.values(reports)) {
      expect(report.absentTargets.images).toBe(16)
      expect(report.absentTargets.markedAbsent).toBeGreaterThanOrEqual(12)
      expect(report.missedTargets).toBeLessThanOrEqual(6)
    }
  })

  it('yields two masks on most two-instance images', () => {
    for (const report of Object.values(reports)) {
      expect(report.twoInstanceImages.images).toBe(25)
      expect(report.twoInstanceImages.withTwoMasks).toBeGreaterThanOrEqual(20)
    }
  })
})
