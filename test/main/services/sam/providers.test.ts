import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { createSessionWithFallback, resolveProviderPreference, sessionOptions } from '../../../../src/main/services/sam/providers'

const ENCODER = 'resources/models/toy-sam/encoder.onnx'

describe('resolveProviderPreference', () => {
  it("'auto' picks the platform's accelerator, then cpu", () => {
    expect(resolveProviderPreference('auto', 'win32', 'x64')).toEqual(['dml', 'cpu'])
    expect(resolveProviderPreference('auto', 'win32', 'arm64')).toEqual(['dml', 'cpu'])
    expect(resolveProviderPreference('auto', 'darwin', 'arm64')).toEqual(['coreml', 'cpu'])
    expect(resolveProviderPreference('auto', 'linux', 'x64')).toEqual(['cuda', 'cpu'])
    expect(resolveProviderPreference('auto', 'linux', 'arm64')).toEqual(['cpu'])
  })

  it('keeps an explicit order, drops repeats and always ends with cpu', () => {
    expect(resolveProviderPreference(['cuda', 'dml', 'cuda'])).toEqual(['cuda', 'dml', 'cpu'])
    expect(resolveProviderPreference(['cpu', 'cuda'])).toEqual(['cpu', 'cuda'])
    expect(() => resolveProviderPreference(['tpu' as 'cpu'])).toThrow(/unknown execution provider "tpu"/)
  })

  it('sets the desktop session options (no spinning threads, configurable intra-op threads)', () => {
    expect(sessionOptions('cpu', { intraOpThreads: 3 })).toMatchObject({
      executionProviders: ['cpu'],
      intraOpNumThreads: 3,
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    })
  })
})

describe('createSessionWithFallback (real onnxruntime)', () => {
  // The failed CUDA attempt would print a native error log; the test asserts on the report instead.
  ort.env.logLevel = 'fatal'
  const create = (file: string, options: ort.InferenceSession.SessionOptions) => ort.InferenceSession.create(file, options)

  it('falls back past providers this build or machine lacks, and says which one runs', async () => {
    const { session, report } = await createSessionWithFallback(ENCODER, ['cuda', 'dml', 'coreml', 'cpu'], {}, create)
    expect(report.active).toBe('cpu')
    expect(report.attempts.map((attempt) => [attempt.provider, attempt.ok])).toEqual([
      ['cuda', false],
      ['dml', false],
      ['coreml', false],
      ['cpu', true],
    ])
    for (const attempt of report.attempts.slice(0, 3)) expect(attempt.error).toMatch(/\S/)
    expect(session.inputNames).toEqual(['image'])
    await session.release()
  })

  it('fails with every attempt listed when nothing can load the model', async () => {
    const error = await createSessionWithFallback('resources/models/toy-sam/README.md', ['coreml', 'cpu'], {}, create).catch((caught: Error) => caught)
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(/no execution provider could load the model \(coreml: .*; cpu: .*Protobuf parsing failed/)
    expect((error as { attempts?: unknown[] }).attempts).toHaveLength(2)
  })
})
