import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeRle, maskIou } from '../../../../src/common/mask'
import { PropagationRunner, type PropagationEvent } from '../../../../src/main/services/propagation/propagationRunner'
import { SamRuntime } from '../../../../src/main/services/sam/samRuntime'
import { discMask, discScene, writeImage, type Disc } from '../../../helpers/samImages'

const RED: Disc['colour'] = [220, 30, 30]
let runtime: SamRuntime
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'runner-'))
  runtime = await SamRuntime.open({ model: { dir: 'resources/models/toy-sam' }, providers: ['cpu'] })
})

afterAll(async () => {
  await runtime?.close()
})

async function scene(name: string, discs: Disc[], width = 480, height = 360): Promise<{ file: string; discs: Disc[] }> {
  return { file: await writeImage(path.join(dir, `${name}.png`), discScene(width, height, discs, name.length)), discs }
}

const maskOf = (width: number, height: number, disc: Disc) => ({ width, height, data: discMask(width, height, disc) })

describe('propagation runner', () => {
  it('yields one result per image, in order, with full-resolution masks', async () => {
    const reference = await scene('ref', [{ cx: 150, cy: 170, r: 70, colour: RED }])
    const images = [
      await scene('a', [{ cx: 330, cy: 200, r: 60, colour: RED }]),
      await scene('b', [{ cx: 120, cy: 120, r: 50, colour: RED }], 640, 480),
      await scene('empty', []),
    ]
    const runner = await PropagationRunner.prepare(runtime, [{ file: reference.file, mask: maskOf(480, 360, reference.discs[0]!) }], {
      method: 'persam-f',
    })
    expect(runner.target.fusion?.weights).toHaveLength(3)
    const events: PropagationEvent<{ id: number; file: string }>[] = []
    for await (const event of runner.run(images.map((image, id) => ({ id, file: image.file })))) events.push(event)
    expect(events.map((e) => e.image.id)).toEqual([0, 1, 2])
    const [a, b, empty] = events
    if (a?.kind !== 'result' || b?.kind !== 'result' || empty?.kind !== 'result') throw new Error('expected results')
    expect(a.masks[0]!.size).toEqual([360, 480])
    expect(maskIou(decodeRle(a.masks[0]!), maskOf(480, 360, images[0]!.discs[0]!))).toBeGreaterThan(0.85)
    expect(b.masks[0]!.size).toEqual([480, 640])
    expect(maskIou(decodeRle(b.masks[0]!), maskOf(640, 480, images[1]!.discs[0]!))).toBeGreaterThan(0.85)
    expect(empty.result.absent).toBe(true)
    expect(empty.masks).toHaveLength(0)
    expect(a.result.firstCall).toBe('standard')
    for (const t of Object.values(a.timings)) if (typeof t === 'number') expect(t).toBeGreaterThanOrEqual(0)
  })

  it('records that PerSAM used the guided decoder, and keeps going past unreadable images', async () => {
    const reference = await scene('ref2', [{ cx: 200, cy: 180, r: 80, colour: RED }])
    const broken = path.join(dir, 'broken.jpg')
    writeFileSync(broken, 'not a jpeg at all')
    const good = await scene('good', [{ cx: 300, cy: 150, r: 70, colour: RED }])
    const runner = await PropagationRunner.prepare(runtime, [{ file: reference.file, mask: maskOf(480, 360, reference.discs[0]!) }], { method: 'persam' })
    const events: PropagationEvent<{ id: string; file: string }>[] = []
    for await (const event of runner.run([{ id: 'broken', file: broken }, { id: 'good', file: good.file }])) events.push(event)
    expect(events[0]).toMatchObject({ kind: 'failed', image: { id: 'broken' } })
    expect((events[0] as { error: string }).error).toContain('broken.jpg')
    expect(events[1]?.kind).toBe('result')
    if (events[1]?.kind === 'result') expect(events[1].result.firstCall).toBe('persam-decoder')
  })

  it('stops when cancelled', async () => {
    const reference = await scene('ref3', [{ cx: 200, cy: 180, r: 80, colour: RED }])
    const controller = new AbortController()
    const runner = await PropagationRunner.prepare(runtime, [{ file: reference.file, mask: maskOf(480, 360, reference.discs[0]!) }], {
      method: 'persam',
      signal: controller.signal,
    })
    const seen: string[] = []
    const images = ['c1', 'c2', 'c3'].map((id) => ({ id, file: reference.file }))
    await expect(
      (async () => {
        for await (const event of runner.run(images)) {
          seen.push(event.image.id)
          controller.abort()
        }
      })(),
    ).rejects.toThrow(/cancelled/)
    expect(seen).toEqual(['c1'])
  })

  it('refuses a reference mask whose size differs from its image, naming the file', async () => {
    const reference = await scene('ref4', [{ cx: 200, cy: 180, r: 80, colour: RED }])
    await expect(
      PropagationRunner.prepare(runtime, [{ file: reference.file, mask: maskOf(100, 100, reference.discs[0]!) }], { method: 'persam' }),
    ).rejects.toThrow(/ref4\.png: the reference mask is 100x100, the image is 480x360/)
  })

  it('combines several references (few-shot)', async () => {
    const first = await scene('few1', [{ cx: 150, cy: 170, r: 70, colour: RED }])
    const second = await scene('few2', [{ cx: 300, cy: 160, r: 60, colour: [200, 60, 40] }])
    const target = await scene('few3', [{ cx: 250, cy: 200, r: 65, colour: [210, 45, 35] }])
    const runner = await PropagationRunner.prepare(
      runtime,
      [
        { file: first.file, mask: maskOf(480, 360, first.discs[0]!) },
        { file: second.file, mask: maskOf(480, 360, second.discs[0]!) },
      ],
      { method: 'persam' },
    )
    expect(runner.target.locationFeatures).toHaveLength(2)
    for await (const event of runner.run([{ id: 0, file: target.file }])) {
      if (event.kind !== 'result') throw new Error(event.error)
      expect(maskIou(decodeRle(event.masks[0]!), maskOf(480, 360, target.discs[0]!))).toBeGreaterThan(0.85)
    }
  })
})
