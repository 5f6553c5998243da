/**
 * Crash safety: 20 times, a child process works on a project (a stream of annotation edits, a
 * propagation job, bulk inserts of 20,000 annotations, or COCO imports of 60,000) and is killed with
 * SIGKILL at a random moment. Reopening must show an intact file, every write whose call had
 * returned, nothing half-done, and a job that resumes where it stopped. A job's second generation
 * is two processes started together on the project: they race to take over the dead one's lock,
 * and only one of them may work on the job.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../../src/main/services/store/index'
import { maintainedTotals, recountedTotals, tempDir } from './helpers'
import { BULK_BATCH, COCO_PER_IMAGE, IMAGE_COUNT, IMAGE_SIZE, JOB_PROPOSALS_PER_IMAGE, LOCKED_EXIT_CODE, expectedAfter, maskFor, random, writeCocoFile } from './crash/workload'

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crash', 'child.ts')
const ITERATIONS = 20
const MODES = ['writes', 'job', 'bulk', 'coco'] as const

function freshProject(): string {
  const dir = path.join(tempDir('persam-crash-'), 'project')
  const project = Project.create(dir, { imagesRoot: path.dirname(dir) })
  project.images.add(
    Array.from({ length: IMAGE_COUNT }, (_, i) => ({ relPath: `${i}.jpg`, contentHash: String(i).padStart(64, '0'), byteSize: 1, format: 'jpeg', ...IMAGE_SIZE })),
  )
  project.categories.create({ name: 'a' })
  project.categories.create({ name: 'b' })
  project.close()
  return dir
}

/** Runs the child until it is `delayMs` past ready (or finishes), SIGKILLs it, returns its acknowledgements. */
async function runAndKill(mode: string, dir: string, seed: number, delayMs: number): Promise<{ acks: string[]; killed: boolean }> {
  const ackFile = path.join(path.dirname(dir), `acks-${mode}-${seed}-${delayMs}.txt`)
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, dir, ackFile, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve())
    void exited.then(({ code }) => reject(new Error(`child exited (${code}) before it was ready: ${stderr}`)))
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), delayMs)
  const { code, signal } = await exited
  clearTimeout(timer)
  if (signal !== 'SIGKILL' && code !== 0) throw new Error(`child failed (${code}): ${stderr}`)
  const acks = existsSync(ackFile) ? readFileSync(ackFile, 'utf8').split('\n').filter((line) => line !== '') : []
  return { acks, killed: signal === 'SIGKILL' }
}

interface PairResult {
  readonly pid: number
  readonly acks: string[]
  readonly locked: boolean
  readonly stderr: string
}

/** Starts two children on one project at once and SIGKILLs whichever still runs `delayMs` after both are ready (or gone). */
async function runPairAndKill(mode: string, dir: string, seed: number, delayMs: number): Promise<[PairResult, PairResult]> {
  const runs = [0, 1].map((n) => {
    const ackFile = path.join(path.dirname(dir), `acks-pair-${n}-${seed}-${delayMs}.txt`)
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, dir, ackFile, String(seed)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
    const ready = new Promise<void>((resolve) => child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve()))
    return { child, ackFile, exited, ready, stderr: () => stderr }
  })
  await Promise.all(runs.map((run) => Promise.race([run.ready, run.exited])))
  const timer = setTimeout(() => runs.forEach((run) => run.child.kill('SIGKILL')), delayMs)
  const results = await Promise.all(
    runs.map(async (run) => {
      const { code, signal } = await run.exited
      if (signal !== 'SIGKILL' && code !== 0 && code !== LOCKED_EXIT_CODE) throw new Error(`child failed (${code}): ${run.stderr()}`)
      const acks = existsSync(run.ackFile) ? readFileSync(run.ackFile, 'utf8').split('\n').filter((line) => line !== '') : []
      return { pid: run.child.pid!, acks, locked: code === LOCKED_EXIT_CODE, stderr: run.stderr() }
    }),
  )
  clearTimeout(timer)
  return results as [PairResult, PairResult]
}

/** What every reopened project must satisfy whatever was running. */
function reopenSound(dir: string): Project {
  const project = Project.open(dir)
  expect(project.integrityCheck()).toBe('ok')
  expect(project.db.pragma('foreign_key_check')).toEqual([])
  // The trigger-kept counters moved in the same transactions as the rows.
  expect(maintainedTotals(project)).toEqual(recountedTotals(project))
  return project
}

function checkWrites(dir: string, seed: number, acks: string[]): void {
  const returned = acks.length
  expect(acks).toEqual(Array.from({ length: returned }, (_, i) => String(i)))
  const project = reopenSound(dir)
  const rows = project.db.prepare('SELECT id, status, rle AS counts, revision FROM annotations ORDER BY id').all() as { id: number; status: string; counts: string; revision: number }[]
  const actual = rows.map(({ id, ...row }) => [id, row])
  // Every returned call is there; at most the one in flight also committed before the kill.
  const candidates = [expectedAfter(seed, returned), expectedAfter(seed, returned + 1)]
  expect(candidates.map((candidate) => JSON.stringify(candidate))).toContain(JSON.stringify(actual))
  // The persisted history is usable after the crash.
  if (returned > 0) expect(project.history.undo()).not.toBeNull()
  project.close()
}

function checkJob(dir: string, acks: string[]): { done: string[] } {
  const project = reopenSound(dir)
  const job = project.runs.list()[0]
  if (!job) {
    expect(acks).toEqual([]) // killed before the job row was committed
    project.close()
    return { done: [] }
  }
  expect(['interrupted', 'done']).toContain(job.state)
  const done = project.runs.imageStates(job.id, { state: 'done' }).map((entry) => entry.imageId)
  const acked = acks.filter((line) => line !== 'complete').map(Number)
  expect(done.slice(0, acked.length)).toEqual(acked)
  expect(done.length - acked.length).toBeLessThanOrEqual(1)
  // Each finished image has all its proposals, each pending image none: no half result.
  const perImage = new Map((project.db.prepare('SELECT image_id, count(*) AS n FROM annotations WHERE job_id = ? GROUP BY image_id').all(job.id) as { image_id: number; n: number }[]).map((r) => [r.image_id, r.n]))
  for (const imageId of done) expect(perImage.get(imageId)).toBe(JOB_PROPOSALS_PER_IMAGE)
  expect([...perImage.keys()].sort((a, b) => a - b)).toEqual([...done].sort((a, b) => a - b))
  expect(job.done).toBe(done.length)
  project.close()
  return { done: done.map(String) }
}

function finishJob(dir: string): void {
  const project = Project.open(dir)
  const job = project.runs.list()[0] ?? project.runs.create({ method: 'persam', categoryId: project.categories.list()[0]!.id, params: {}, imageIds: [...project.images.iterate()].map((i) => i.id) })
  if (job.state !== 'done') {
    project.runs.start(job.id)
    for (const image of project.runs.nextPending(job.id, IMAGE_COUNT)) {
      project.runs.recordResult(job.id, image.id, { proposals: Array.from({ length: JOB_PROPOSALS_PER_IMAGE }, (_, k) => ({ mask: maskFor(image.id * 10 + k) })) })
    }
  }
  expect(project.runs.require(job.id)).toMatchObject({ state: 'done', done: IMAGE_COUNT, failed: 0 })
  const counts = project.db.prepare('SELECT count(*) AS n, count(DISTINCT image_id) AS images FROM annotations WHERE job_id = ?').get(job.id)
  expect(counts).toEqual({ n: IMAGE_COUNT * JOB_PROPOSALS_PER_IMAGE, images: IMAGE_COUNT })
  project.close()
}

function checkCoco(dir: string, acks: string[]): void {
  const project = reopenSound(dir)
  const perFile = project.db.prepare("SELECT json_extract(method, '$.coco.file') AS file, count(*) AS n FROM annotations GROUP BY 1").all() as { file: string; n: number }[]
  const counts = new Map(perFile.map((row) => [row.file, row.n]))
  // An import is all or nothing: each file is absent or present in full (the second round of a
  // file is all duplicates and adds nothing).
  for (const n of counts.values()) expect(n).toBe(IMAGE_COUNT * COCO_PER_IMAGE)
  for (const name of new Set(acks)) expect(counts.get(name)).toBe(IMAGE_COUNT * COCO_PER_IMAGE)
  const imported = acks.length === 0 ? 0 : new Set(acks).size
  expect(counts.size - imported).toBeLessThanOrEqual(1)
  project.close()
}

function checkBulk(dir: string, acks: string[]): void {
  const project = reopenSound(dir)
  const batches = project.db.prepare("SELECT json_extract(method, '$.batch') AS batch, count(*) AS n FROM annotations GROUP BY 1 ORDER BY 1").all() as { batch: number; n: number }[]
  for (const { n } of batches) expect(n).toBe(BULK_BATCH) // never a partial import
  const present = batches.map((b) => String(b.batch))
  expect(present.slice(0, acks.length)).toEqual(acks)
  expect(present.length - acks.length).toBeLessThanOrEqual(1)
  project.close()
}

describe('crash safety under SIGKILL', () => {
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const mode = MODES[iteration % MODES.length]!
    const seed = 7001 + iteration
    it(`iteration ${iteration + 1}: ${mode}, seed ${seed}`, { timeout: 120_000 }, async () => {
      const delay = random(seed)
      const dir = freshProject()
      if (mode === 'writes') {
        const { acks } = await runAndKill(mode, dir, seed, 100 + Math.floor(delay() * 900))
        checkWrites(dir, seed, acks)
      } else if (mode === 'coco') {
        for (const round of [0, 1] as const) writeCocoFile(path.join(path.dirname(dir), `coco-${round}.json`), seed * 10 + round, round)
        const { acks } = await runAndKill(mode, dir, seed, 300 + Math.floor(delay() * 6000))
        checkCoco(dir, acks)
      } else if (mode === 'bulk') {
        const { acks } = await runAndKill(mode, dir, seed, 200 + Math.floor(delay() * 2500))
        checkBulk(dir, acks)
      } else {
        // Two generations: killed, resumed by a new process and killed again, then finished here.
        const first = await runAndKill(mode, dir, seed, 20 + Math.floor(delay() * 250))
        const afterFirst = checkJob(dir, first.acks)
        const pair = await runPairAndKill(mode, dir, seed, 20 + Math.floor(delay() * 250))
        // One process took the dead one's lock and worked; the other was refused, naming it, or
        // opened only after the first had finished the job (so it had nothing left to record).
        const workers = pair.filter((run) => run.acks.some((line) => line !== 'complete'))
        expect(workers.length).toBeLessThanOrEqual(1)
        for (const [run, other] of [pair, [pair[1], pair[0]]] as const) {
          if (run.locked) expect(run.stderr).toContain(`pid ${other.pid} on host`)
        }
        const second = workers[0] ?? pair[0]
        // The resumed process starts after everything the first one committed (acknowledged or not).
        const afterSecond = checkJob(dir, [...afterFirst.done, ...second.acks])
        expect(afterSecond.done.slice(0, afterFirst.done.length)).toEqual(afterFirst.done)
        finishJob(dir)
      }
    })
  }
})
