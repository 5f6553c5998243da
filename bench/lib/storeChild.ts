/**
 * One measured task of the store benchmark, run in its own process so its peak memory (maxRSS)
 * belongs to that task alone: `node --import tsx bench/lib/storeChild.ts <task> <args...>`.
 * Prints one JSON line with the figures.
 */
import { closeSync, fsyncSync, openSync, readSync, statSync, writeSync } from 'node:fs'
import Database from 'better-sqlite3'
import { exportCoco } from '../../src/main/services/exchange/coco/cocoExport'
import { importCoco } from '../../src/main/services/exchange/coco/cocoImport'
import { scanJsonSections } from '../../src/main/services/exchange/json/jsonSections'
import { Project } from '../../src/main/services/store/index'

const [task, ...args] = process.argv.slice(2)
let heapPeak = 0
const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20)
const started = performance.now()

async function run(): Promise<Record<string, number>> {
  switch (task) {
    case 'open': {
      const rawStart = performance.now()
      const raw = new Database(`${args[0]}/project.sqlite`, { readonly: true })
      raw.prepare('SELECT count(*) FROM sqlite_master').get()
      const rawMs = performance.now() - rawStart
      raw.close()
      const openStart = performance.now()
      const project = Project.open(args[0]!)
      const openMs = performance.now() - openStart
      const pageStart = performance.now()
      project.images.page({ offset: 0, limit: 200 })
      const firstPageMs = performance.now() - pageStart
      project.close()
      return { rawOpenMs: rawMs, openMs, firstPageMs }
    }
    case 'export': {
      const project = Project.open(args[0]!)
      const report = await exportCoco(project, args[1]!, { statuses: ['accepted', 'edited', 'proposed', 'rejected'] })
      project.close()
      return { annotations: report.annotations, bytes: statSync(args[1]!).size }
    }
    case 'read-floor': {
      // The rows the export reads, read sequentially with nothing done to them.
      const db = new Database(`${args[0]}/project.sqlite`, { readonly: true })
      let chars = 0
      for (const row of db.prepare("SELECT id, image_id, category_id, rle, area, bbox_x, bbox_y, bbox_w, bbox_h, iscrowd, score FROM annotations WHERE rle IS NOT NULL ORDER BY id").iterate() as Iterable<{ rle: string }>) {
        chars += row.rle.length
      }
      db.close()
      return { chars }
    }
    case 'write-floor': {
      // The same number of bytes, written in 1 MB chunks and fsynced.
      const bytes = Number(args[1])
      const chunk = Buffer.alloc(1 << 20, 48)
      const fd = openSync(args[0]!, 'w')
      for (let written = 0; written < bytes; written += chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, bytes - written))
      fsyncSync(fd)
      closeSync(fd)
      return { bytes }
    }
    case 'import': {
      const project = Project.open(args[0]!)
      const report = await importCoco(project, args[1]!)
      project.close()
      return { annotations: report.imported.annotations, skipped: report.skipped.length }
    }
    case 'scan-floor': {
      // Reading the file: raw bytes, then the streaming scan with JSON.parse of every element.
      const fd = openSync(args[0]!, 'r')
      const buffer = Buffer.alloc(1 << 20)
      let total = 0
      for (let n; (n = readSync(fd, buffer, 0, buffer.length, total)) > 0; ) total += n
      closeSync(fd)
      const readMs = performance.now() - started
      let elements = 0
      await scanJsonSections(args[0]!, { wants: () => true, onElement: () => void elements++ }, { arrays: new Set(['images', 'annotations', 'categories']) })
      return { readMs, scanMs: performance.now() - started - readMs, elements }
    }
    default:
      throw new Error(`unknown task ${task}`)
  }
}

const figures = await run()
clearInterval(sampler)
heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)
console.log(JSON.stringify({ ...figures, ms: performance.now() - started, maxRssMiB: process.resourceUsage().maxRSS / 1024, heapPeakMiB: heapPeak / 2 ** 20 }))
