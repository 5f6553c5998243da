/** `npm run bench [name-filter ...]`: runs every bench/*.bench.ts whose name matches. */
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { formatTable, machineInfo, writeResult, type Benchmark } from './lib/harness'

const filters = process.argv.slice(2)
const dir = path.resolve('bench')
const files = readdirSync(dir)
  .filter((file) => file.endsWith('.bench.ts'))
  .sort()

console.log(`machine: ${JSON.stringify(machineInfo())}`)
let ran = 0
for (const file of files) {
  const benchmark = (await import(pathToFileURL(path.join(dir, file)).href)).default as Benchmark
  if (filters.length > 0 && !filters.some((filter) => benchmark.name.includes(filter))) continue
  console.log(`\n## ${benchmark.name}: ${benchmark.description}`)
  const output = await benchmark.run()
  console.log(formatTable(output.rows))
  console.log(`-> ${path.relative(process.cwd(), writeResult(benchmark.name, output))}`)
  ran++
}
if (ran === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}`)
  process.exitCode = 1
}
