/**
 * The benchmark harness. Each bench/*.bench.ts exports a Benchmark; `npm run bench [filter]`
 * runs them, prints one table row per measurement and writes bench/results/<name>.json with the
 * machine, Node version and date. Targets are reported as ratios against a floor measured in the
 * same run, next to the absolute figures; nothing here asserts on time.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'

export type Row = Record<string, string | number>

export interface BenchOutput {
  readonly rows: readonly Row[]
  /** Everything worth keeping: raw figures, targets, whether they were met. */
  readonly figures: Record<string, unknown>
}

export interface Benchmark {
  readonly name: string
  readonly description: string
  run(): Promise<BenchOutput>
}

export interface Distribution {
  readonly samples: number
  readonly mean: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly min: number
  readonly max: number
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN
  return {
    samples: sorted.length,
    mean: sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length),
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  }
}

/** Times `fn` (milliseconds per call) after a warm-up. */
export async function timeCalls(fn: () => unknown, options: { iterations: number; warmup?: number }): Promise<Distribution> {
  for (let i = 0; i < (options.warmup ?? Math.ceil(options.iterations / 10)); i++) await fn()
  const samples: number[] = []
  for (let i = 0; i < options.iterations; i++) {
    const start = performance.now()
    await fn()
    samples.push(performance.now() - start)
  }
  return distribution(samples)
}

export function machineInfo(): Record<string, string | number> {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${process.platform}-${process.arch}`,
    node: process.version,
  }
}

export function writeResult(name: string, output: BenchOutput, resultsDir = path.resolve('bench/results')): string {
  mkdirSync(resultsDir, { recursive: true })
  const file = path.join(resultsDir, `${name}.json`)
  const record = { name, date: new Date().toISOString(), machine: machineInfo(), rows: output.rows, figures: output.figures }
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`)
  return file
}

export function formatTable(rows: readonly Row[]): string {
  if (rows.length === 0) return '(no rows)'
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]
  const cell = (value: string | number | undefined): string =>
    typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(3)) : (value ?? '')
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)))
  const line = (values: string[]): string => values.map((value, i) => value.padEnd(widths[i]!)).join('  ')
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((row) => line(columns.map((c) => cell(row[c]))))].join('\n')
}

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits))

/** Event-loop delay percentiles (ms) of this process while `work` runs. */
export async function eventLoopDelayWhile(work: () => Promise<unknown>): Promise<{ p50: number; p99: number; max: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 })
  histogram.enable()
  await work()
  histogram.disable()
  return { p50: histogram.percentile(50) / 1e6, p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 }
}

