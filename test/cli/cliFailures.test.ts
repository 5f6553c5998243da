/**
 * How the command line fails: one `error:` line naming the file or option, exit code 1 (2 for
 * usage errors), a stack trace only with --verbose; outputs checked before any work.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'
import { beforeAll, describe, expect, it } from 'vitest'
import { createTestCore } from '../helpers/studio'
import { useTempDir } from '../helpers/tempDir'
import { Project } from '../../src/main/services/store/index'
import { errorLines, hasStack, runCli, type CliResult } from './cliHelpers'

const dir = useTempDir('cli-failures-')
const image = path.join(dir, 'ref.png')
const images = path.join(dir, 'images')
const emptyMask = path.join(dir, 'empty.png')
const garbageMask = path.join(dir, 'garbage.png')
const goodMask = path.join(dir, 'good.png')
const cache = path.join(dir, 'cache-never-made')

beforeAll(async () => {
  await sharp({ create: { width: 32, height: 24, channels: 3, background: '#468' } }).png().toFile(image)
  mkdirSync(images)
  await sharp(image).toFile(path.join(images, 'a.png'))
  await sharp({ create: { width: 32, height: 24, channels: 3, background: '#000' } }).png().toFile(emptyMask)
  await sharp({ create: { width: 32, height: 24, channels: 3, background: '#fff' } }).png().toFile(goodMask)
  writeFileSync(garbageMask, 'this is not an image')
})

/** One error line that contains every `mentions`, no stack, the expected exit code. */
function expectOneError(result: CliResult, code: number, ...mentions: string[]): void {
  expect(result.code, result.stderr).toBe(code)
  const lines = errorLines(result.stderr)
  expect(lines, result.stderr).toHaveLength(1)
  for (const mention of mentions) expect(lines[0]).toContain(mention)
  expect(hasStack(result.stderr), result.stderr).toBe(false)
}

const propagate = (...extra: string[]) => ['propagate', '--ref', image, '--images', images, '--ep', 'cpu', '--cache', cache, ...extra]

describe('command line failures', () => {
  it('an empty reference mask: one line naming the mask, a stack only with --verbose', async () => {
    const args = propagate('--ref-mask', emptyMask, '--out', path.join(dir, 'out.json'))
    expectOneError(await runCli(args), 1, '--ref-mask', emptyMask, 'empty')
    const verbose = await runCli([...args, '--verbose'])
    expect(verbose.code).toBe(1)
    expect(hasStack(verbose.stderr), verbose.stderr).toBe(true)
    expect(hasStack((await runCli(args, { DEBUG: '1' })).stderr)).toBe(true)
  }, 60_000)

  it('an unreadable reference mask is named', async () => {
    expectOneError(await runCli(propagate('--ref-mask', garbageMask, '--out', path.join(dir, 'out.json'))), 1, garbageMask)
  }, 60_000)

  it('--method bogus is a usage error (exit 2) naming the option, for propagate and eval', async () => {
    expectOneError(await runCli(propagate('--ref-mask', goodMask, '--out', path.join(dir, 'out.json'), '--method', 'bogus')), 2, '--method', 'bogus')
    expectOneError(await runCli(['eval', '--data', dir, '--method', 'persam', 'bogus']), 2, '--method', 'bogus')
    expectOneError(await runCli(['propagate', '--ref', image, image, '--ref-mask', goodMask, '--images', images, '--out', path.join(dir, 'o.json')]), 2, 'give one --ref-mask per --ref')
  }, 60_000)

  it('outputs on virtual filesystems are refused at once (no endless mkdir)', async () => {
    expectOneError(await runCli(['synth', '--out', '/proc/x/y']), 1, '--out', '/proc/x/y', 'virtual filesystem')
    expectOneError(await runCli(propagate('--ref-mask', goodMask, '--out', '/proc/x/out.json')), 1, '--out', '/proc/x/out.json')
    expectOneError(await runCli(['eval', '--data', dir, '--report', '/sys/x/report.json']), 1, '--report', '/sys/x/report.json')
    const project = Project.create(path.join(dir, 'project'), { imagesRoot: images })
    project.close()
    expectOneError(await runCli(['export', path.join(dir, 'project'), '--out', '/proc/x/coco.json']), 1, '--out', '/proc/x')
    expect(existsSync(cache)).toBe(false)
  }, 60_000)

  it('an --out that names a folder, or lies under a file, fails before any work (no cache folder, no temporary)', async () => {
    mkdirSync(path.join(dir, 'a-folder'), { recursive: true })
    expectOneError(await runCli(propagate('--ref-mask', goodMask, '--out', path.join(dir, 'a-folder'))), 1, '--out', 'a-folder', 'is a folder')
    expectOneError(await runCli(propagate('--ref-mask', goodMask, '--out', path.join(dir, 'ref.png', 'out.json'))), 1, '--out', 'not a folder')
    expectOneError(await runCli(['eval', '--data', dir, '--report', path.join(dir, 'a-folder')]), 1, '--report', 'is a folder')
    expect(existsSync(cache)).toBe(false)
    expect(readdirSync(dir).filter((name) => name.includes('tmp'))).toEqual([])
  }, 60_000)

  it.skipIf(process.getuid?.() === 0)('a read-only output folder fails before any work', async () => {
    const locked = path.join(dir, 'locked')
    mkdirSync(locked)
    chmodSync(locked, 0o555)
    try {
      expectOneError(await runCli(propagate('--ref-mask', goodMask, '--out', path.join(locked, 'out.json'))), 1, '--out', 'cannot write')
      expect(existsSync(cache)).toBe(false)
    } finally {
      chmodSync(locked, 0o755)
    }
  }, 60_000)

  it('every command reports a failure the same way (models, export)', async () => {
    expectOneError(await runCli(['models', 'remove', 'no-such-model'], { STUDIO_DATA_DIR: dir }), 1, 'no-such-model')
    expectOneError(await runCli(['export', path.join(dir, 'nowhere'), '--out', path.join(dir, 'x.json')]), 1, 'nowhere')
    expectOneError(await runCli(['export', path.join(dir, 'nowhere'), '--out', path.join(dir, 'x.json'), '--status', 'bogus']), 2, '--status')
  }, 60_000)
})

describe('creating a project', () => {
  it('refuses a project folder on a virtual filesystem instead of hanging', async () => {
    const core = await createTestCore()
    try {
      const result = await core.dispatch('project:create', { imagesRoot: images, projectDir: '/proc/persam/project' }, { transport: 'in-process' })
      expect(result.ok).toBe(false)
      expect(!result.ok && result.error.code).toBe('invalid-input')
      expect(!result.ok && result.error.message).toMatch(/\/proc.*virtual filesystem/)
      const file = path.join(dir, 'in-the-way')
      writeFileSync(file, 'x')
      const blocked = await core.dispatch('project:create', { imagesRoot: images, projectDir: path.join(file, 'project') }, { transport: 'in-process' })
      expect(!blocked.ok && blocked.error.message).toMatch(/in-the-way is a file, not a folder/)
    } finally {
      await core.close()
    }
  }, 60_000)
})
