/**
 * One writer per project, checked with real processes: a second opener is refused and told who
 * holds the project, reads (read-only open, CLI export) still work, a killed holder's lock is
 * taken over and its job resumed once, and contenders racing for one stale lock never both win.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runExport } from '../../../../src/cli/exportCommand'
import { createMask, paintDisc } from '../../../../src/common/mask/index'
import { Project, storedMaskFromBinary } from '../../../../src/main/services/store/index'
import { LOCK_FILE, ProjectLock, ProjectLockedError, readLock, type LockRecord } from '../../../../src/main/services/store/projectLock'
import { IMAGE_COUNT, IMAGE_SIZE, JOB_PROPOSALS_PER_IMAGE, maskFor } from './crash/workload'
import { tempDir } from './helpers'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const CHILD = path.join(HERE, 'crash', 'child.ts')
const LOCK_CHILD = path.join(HERE, 'crash', 'lockChild.ts')

const ACCEPTED = 3

/** IMAGE_COUNT images, one category, ACCEPTED accepted annotations with real masks (what an export writes). */
function freshProject(): string {
  const dir = path.join(tempDir('persam-lock-'), 'project')
  const project = Project.create(dir, { imagesRoot: path.dirname(dir) })
  const images = project.images.add(Array.from({ length: IMAGE_COUNT }, (_, i) => ({ relPath: `${i}.jpg`, contentHash: String(i).padStart(64, '0'), byteSize: 1, format: 'jpeg', ...IMAGE_SIZE })))
  const category = project.categories.create({ name: 'a' })
  for (let i = 0; i < ACCEPTED; i++) {
    const mask = storedMaskFromBinary(paintDisc(createMask(IMAGE_SIZE.width, IMAGE_SIZE.height), { x: 20 + i, y: 20 }, 8))
    project.annotations.create({ imageId: images[i]!.id, categoryId: category.id, mask, status: 'accepted', source: 'manual' })
  }
  project.close()
  return dir
}

/** A pid that belonged to a process which has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!
}

function writeLock(dir: string, fields: Partial<LockRecord>): void {
  const now = Date.now()
  const record: LockRecord = { holder: { kind: 'app', label: 'studio' }, pid: deadPid(), host: os.hostname(), startedAt: now, heartbeatAt: now, token: 'old-token', ...fields }
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(record))
}

async function waitForLine(file: string, line: string, exited: Promise<unknown>): Promise<void> {
  let done = false
  void exited.then(() => (done = true))
  while (!(existsSync(file) && readFileSync(file, 'utf8').split('\n').includes(line))) {
    if (done) throw new Error(`the child exited before writing "${line}"`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('project lock in one process', () => {
  it('refuses a second writer, naming the holder, and lets it in once released', () => {
    const dir = freshProject()
    const first = Project.open(dir, { lock: { holder: { kind: 'server', label: 'studio' } } })
    let refusal: unknown
    try {
      Project.open(dir)
    } catch (error) {
      refusal = error
    }
    expect(refusal).toBeInstanceOf(ProjectLockedError)
    expect((refusal as ProjectLockedError).code).toBe('locked')
    expect((refusal as Error).message).toMatch(new RegExp(`^project project is open in the browser-mode studio "studio" \\(pid ${process.pid} on host ${os.hostname()}\\) since \\d\\d:\\d\\d`))
    first.close()
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false)
    Project.open(dir).close()
  })

  it('takes over a lock whose process is gone on this host', () => {
    const dir = freshProject()
    writeLock(dir, { pid: deadPid() })
    const project = Project.open(dir)
    expect(readLock(path.join(dir, LOCK_FILE))).toMatchObject({ pid: process.pid, host: os.hostname() })
    project.close()
  })

  it('trusts another host only while its heartbeat is fresh', () => {
    const dir = freshProject()
    writeLock(dir, { host: 'elsewhere', pid: 1, heartbeatAt: Date.now() - 60_000 })
    expect(() => ProjectLock.acquire(dir, { staleAfterMs: 120_000 })).toThrow(/pid 1 on host elsewhere/)
    const lock = ProjectLock.acquire(dir, { staleAfterMs: 30_000 })
    expect(readLock(path.join(dir, LOCK_FILE))?.token).toBe(lock.holder.token)
    lock.release()
  })

  it('refreshes its heartbeat and notices when the lock was taken from it', () => {
    const dir = freshProject()
    let now = 1_000
    const lost: string[] = []
    const lock = ProjectLock.acquire(dir, { now: () => now, onLost: (reason) => lost.push(reason) })
    now = 5_000
    lock.heartbeat()
    expect(readLock(path.join(dir, LOCK_FILE))).toMatchObject({ startedAt: 1_000, heartbeatAt: 5_000 })
    writeLock(dir, { host: 'elsewhere', pid: 7, token: 'thief' })
    lock.heartbeat()
    expect(lost).toEqual([expect.stringContaining('pid 7 on host elsewhere')])
    lock.release() // not ours any more: left in place
    expect(readLock(path.join(dir, LOCK_FILE))?.token).toBe('thief')
  })
})

describe('project lock across processes', () => {
  it('a live holder keeps writers out but not readers; once killed, its lock is taken over and its job resumed once', { timeout: 60_000 }, async () => {
    const dir = freshProject()
    const ackFile = path.join(path.dirname(dir), 'acks.txt')
    const holder = spawn(process.execPath, ['--import', 'tsx', CHILD, 'hold-job', dir, ackFile, '1'], { stdio: 'ignore' })
    const exited = new Promise((resolve) => holder.on('exit', resolve))
    await waitForLine(ackFile, 'holding', exited)

    expect(() => Project.open(dir)).toThrow(new RegExp(`^project project is open in the CLI "crash child hold-job" \\(pid ${holder.pid} on host ${os.hostname()}\\)`))
    const reader = Project.openReadOnly(dir)
    const [job] = reader.runs.list()
    expect(job).toMatchObject({ state: 'running', done: IMAGE_COUNT / 2 })
    reader.close()
    const out = path.join(path.dirname(dir), 'export.json')
    await runExport(dir, { format: 'coco', out, polygons: false, semantic: false })
    expect((JSON.parse(readFileSync(out, 'utf8')) as { annotations: unknown[] }).annotations).toHaveLength(ACCEPTED)
    expect(readLock(path.join(dir, LOCK_FILE))?.pid).toBe(holder.pid) // the readers left the lock alone

    holder.kill('SIGKILL')
    await exited
    const project = Project.open(dir)
    expect(readLock(path.join(dir, LOCK_FILE))?.pid).toBe(process.pid)
    expect(project.runs.resumable().map((j) => [j.id, j.state])).toEqual([[job!.id, 'interrupted']])
    project.runs.start(job!.id)
    for (const image of project.runs.nextPending(job!.id, IMAGE_COUNT)) {
      project.runs.recordResult(job!.id, image.id, { proposals: Array.from({ length: JOB_PROPOSALS_PER_IMAGE }, (_, k) => ({ mask: maskFor(image.id * 10 + k) })) })
    }
    expect(project.runs.require(job!.id)).toMatchObject({ state: 'done', done: IMAGE_COUNT, failed: 0 })
    expect(project.runs.resumable()).toEqual([])
    const perImage = project.db.prepare('SELECT image_id, count(*) AS n FROM annotations WHERE job_id = ? GROUP BY image_id').all(job!.id) as { n: number }[]
    expect(perImage).toHaveLength(IMAGE_COUNT)
    expect(perImage.every((row) => row.n === JOB_PROPOSALS_PER_IMAGE)).toBe(true)
    project.close()
  })

  it('is released when its process exits normally without closing the project', { timeout: 60_000 }, async () => {
    const dir = freshProject()
    const ackFile = path.join(path.dirname(dir), 'acks.txt')
    // 'job' mode runs the job to the end and lets the process exit, never calling close().
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, 'job', dir, ackFile, '1'], { stdio: 'ignore' })
    const code = await new Promise((resolve) => child.on('exit', resolve))
    expect(code).toBe(0)
    expect(readFileSync(ackFile, 'utf8')).toContain('complete')
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false)
  })

  it('of six processes racing to take over one stale lock, exactly one wins', { timeout: 60_000 }, async () => {
    for (let round = 0; round < 2; round++) {
      const dir = freshProject()
      writeLock(dir, { pid: deadPid() })
      const startAt = Date.now() + 2_500 // after every contender has loaded
      const contenders = Array.from({ length: 6 }, () => spawn(process.execPath, ['--import', 'tsx', LOCK_CHILD, dir, String(startAt)], { stdio: ['pipe', 'pipe', 'inherit'] }))
      const outcomes = await Promise.all(
        contenders.map((child) => new Promise<string>((resolve) => child.stdout.on('data', (chunk: Buffer) => resolve(chunk.toString().trim())))),
      )
      const winners = contenders.filter((_, i) => outcomes[i] === 'won')
      expect(outcomes.filter((o) => o === 'locked')).toHaveLength(5)
      expect(winners).toHaveLength(1)
      expect(readLock(path.join(dir, LOCK_FILE))?.pid).toBe(winners[0]!.pid)
      await Promise.all(contenders.map((child) => new Promise((resolve) => (child.on('exit', resolve), child.stdin.end()))))
      expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false)
    }
  })
})
