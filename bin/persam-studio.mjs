#!/usr/bin/env node
// Runs the built CLI. The build (npm run build) compiles src/cli into out/main/cli.js.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(cli)) {
  console.error(`persam-studio: ${cli} is missing; run \`npm run build\` in ${fileURLToPath(new URL('..', import.meta.url))} first.`)
  process.exit(1)
}
await import(pathToFileURL(cli).href)
