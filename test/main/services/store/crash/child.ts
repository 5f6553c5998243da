/**
 * The process the crash test kills: opens the project and works until SIGKILL, appending to the
 * acknowledgement file after each call has returned (appendFileSync: the line is in the kernel
 * before the next call starts, so it survives the kill of this process).
 *   node --import tsx child.ts <writes|job|hold-job|bulk|coco> <projectDir> <ackFile> <seed>
 * 'hold-job' records half the job's images, then holds the project open until killed. When
 * another live process holds the project's lock, the child exits with LOCKED_EXIT_CODE and the
 * lock error on stderr.
 */
import { appendFileSync } from 'node:fs'
import path from 'node:path'
import { importCoco } from '../../../../../src/main/services/exchange/coco/cocoImport'
import { Project } from '../../../../../src/main/services/store/index'
import { ProjectLockedError } from '../../../../../src/main/services/store/projectLock'
import { BULK_BATCH, IMAGE_COUNT, JOB_PROPOSALS_PER_IMAGE, LOCKED_EXIT_CODE, WriteModel, maskFor, random, runWriteOp } from './workload'

const [mode, projectDir, ackFile, seedText] = process.argv.slice(2)
const seed = Number(seedText)
let opened: Project
try {
  opened = Project.open(projectDir!, { lock: { holder: { kind: 'cli', label: `crash child ${mode}` } } })
} catch (error) {
  if (!(error instanceof ProjectLockedError)) throw error
  process.stderr.write(`${error.message}\n`)
  process.exit(LOCKED_EXIT_CODE)
}
const project = opened
const imageIds = [...project.images.iterate()].map((image) => image.id)
const categoryIds = project.categories.list().map((category) => category.id)
const ack = (line: string): void => appendFileSync(ackFile!, `${line}\n`)
process.stdout.write('ready\n')

if (mode === 'writes') {
  const model = new WriteModel(random(seed))
  for (let step = 0; ; step++) {
    const op = model.nextOp(step)
    runWriteOp(project, op, imageIds, categoryIds)
    model.apply(op)
    ack(String(step))
  }
} else if (mode === 'job' || mode === 'hold-job') {
  // One job per project: resume it when an earlier process created it.
  const job = project.runs.list()[0] ?? project.runs.create({ method: 'persam', categoryId: categoryIds[0]!, params: { seed }, imageIds })
  if (job.state !== 'done') project.runs.start(job.id)
  for (let recorded = 0; job.state !== 'done'; recorded++) {
    if (mode === 'hold-job' && recorded === IMAGE_COUNT / 2) {
      ack('holding')
      setInterval(() => {}, 1000) // keeps the project (and its lock) open until killed
      await new Promise(() => {})
    }
    const [image] = project.runs.nextPending(job.id, 1)
    if (!image) break
    const proposals = Array.from({ length: JOB_PROPOSALS_PER_IMAGE }, (_, k) => ({ mask: maskFor(image.id * 10 + k), score: k / 10 }))
    project.runs.recordResult(job.id, image.id, { proposals })
    ack(String(image.id))
  }
  ack('complete')
} else if (mode === 'coco') {
  // Two prepared files, imported alternately, each in one transaction.
  for (let round = 0; ; round++) {
    const name = `coco-${round % 2}.json`
    await importCoco(project, path.join(path.dirname(projectDir!), name))
    ack(name)
  }
} else if (mode === 'bulk') {
  for (let batch = 0; ; batch++) {
    const drafts = Array.from({ length: BULK_BATCH }, (_, k) => ({
      imageId: imageIds[k % imageIds.length]!,
      categoryId: categoryIds[1]!,
      mask: maskFor(k),
      status: 'accepted' as const,
      source: 'manual' as const,
      method: { batch },
    }))
    project.annotations.importMany(drafts)
    ack(String(batch))
  }
}
