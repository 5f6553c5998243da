/**
 * The CLI's DAVIS and YouTube-VIS exchange: `export --format davis|youtube-vis` writes a project's
 * sequences, `import --davis DIR` makes a new project of a DAVIS folder (its sequences, frame
 * order and masks), and a broken mask file ends with one line naming it.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { encodeDavisPng } from '../../src/main/services/exchange/davis/davisPalette'
import { Project, binaryOfStored } from '../../src/main/services/store/index'
import { buildSequenceProject } from '../main/services/exchange/davis/sequenceFixture'
import { runCli } from './cliHelpers'

describe('persam-studio export --format davis / youtube-vis and import --davis', () => {
  it('exports the sequences and imports them into a new project', async () => {
    const { project, base } = await buildSequenceProject()
    const dir = project.dir
    const catMask = [...binaryOfStored(project.annotations.forImage(project.sequences.frames(project.sequences.byName('swim')!.id)[1]!.imageId)[0]!.mask!).data]
    project.close()
    const davis = path.join(base, 'davis')
    const exported = await runCli(['export', dir, '--format', 'davis', '--out', davis])
    expect(exported.stderr).not.toMatch(/error/)
    expect(exported.code).toBe(0)
    const ytvis = path.join(base, 'ytvis.json')
    expect((await runCli(['export', dir, '--format', 'youtube-vis', '--out', ytvis])).code).toBe(0)
    expect(JSON.parse(readFileSync(ytvis, 'utf8')).videos.map((v: { name: string; length: number }) => [v.name, v.length])).toEqual([
      ['swim', 2],
      ['walk', 3],
    ])

    const imported = path.join(base, 'imported')
    const outcome = await runCli(['import', imported, '--davis', davis])
    expect(outcome.code).toBe(0)
    const fresh = Project.openReadOnly(imported)
    try {
      expect(fresh.sequences.list().map((s) => [s.name, s.frameCount])).toEqual([
        ['swim', 2],
        ['walk', 3],
      ])
      const swimFrame = fresh.sequences.frames(fresh.sequences.byName('swim')!.id)[1]!
      expect(fresh.images.require(swimFrame.imageId).relPath).toBe('JPEGImages/480p/swim/00001.jpg')
      const [annotation] = fresh.annotations.forImage(swimFrame.imageId)
      expect(fresh.categories.require(annotation!.categoryId).name).toBe('cat')
      expect([...binaryOfStored(annotation!.mask!).data]).toEqual(catMask)
    } finally {
      fresh.close()
    }

    // A mask whose size is not its frame's: one line naming the file, exit 1.
    const bad = path.join(davis, 'Annotations', '480p', 'walk', '00001.png')
    writeFileSync(bad, encodeDavisPng(2, 2, new Uint8Array(4)))
    const refused = await runCli(['import', path.join(base, 'refused'), '--davis', davis])
    expect(refused.code).toBe(1)
    expect(refused.stderr.trim().split('\n').at(-1)).toBe(`error: ${bad}: the mask is 2x2 but its frame 00001.jpg is 24x16; nothing was imported`)
  }, 120_000)
})
