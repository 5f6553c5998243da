import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach } from 'vitest'

/** A fresh temporary folder for this test file, removed after its tests. */
export function useTempDir(prefix = 'persam-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

const perTest: string[] = []

/** A fresh temporary folder for the current test, removed after it. */
export function tempDir(prefix = 'persam-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  perTest.push(dir)
  return dir
}

afterEach(() => {
  for (const dir of perTest.splice(0)) rmSync(dir, { recursive: true, force: true })
})
