import { describe, expect, it } from 'vitest'
import { fitCalibration } from '../../../../src/common/calibration/calibrator'
import type { ProposalSignals } from '../../../../src/common/persam/signals'
import { newProject } from './helpers'

const signals = (stability: number): ProposalSignals => ({ peak: 0.9, peakValue: 0.8, predictedIou: 0.9, featureSimilarity: 0.95, stability, areaFraction: 0.05, areaRatio: 1, components: 1, borderContact: 0, candidateRank: 0 })

describe('calibration models in the store', () => {
  it('saves one model per category, replaces it on refit, and reads it back', () => {
    const project = newProject()
    const category = project.categories.create({ name: 'cup' })
    expect(project.calibration.load(category.id)).toBeNull()
    const decisions = Array.from({ length: 20 }, (_, i) => ({ signals: signals(i % 2 ? 0.95 : 0.6 + (i % 5) * 0.02), prior: 0.8 + (i % 7) * 0.02, label: i % 2 }))
    const first = fitCalibration(decisions.slice(0, 12))
    project.calibration.save(category.id, first)
    expect(project.calibration.load(category.id)).toEqual(first)
    const second = fitCalibration(decisions)
    project.calibration.save(category.id, second)
    expect(project.calibration.load(category.id)).toEqual(second)
    expect(second.kind).not.toBe('prior')
    project.close()
  })

  it('refuses a damaged row with the table, category and field named', () => {
    const project = newProject()
    const category = project.categories.create({ name: 'cup' })
    project.db.prepare("INSERT INTO calibration_models(category_id, model, decisions, updated_at) VALUES (?, '{\"kind\":\"magic\"}', 0, 0)").run(category.id)
    expect(() => project.calibration.load(category.id)).toThrow(`calibration_models: the model of category ${category.id} is damaged (field 'kind'`)
    project.close()
  })
})
