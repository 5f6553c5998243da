/**
 * Wraps a refresh so that bursts collapse: a call while it runs makes it run once more after the
 * current run (not once per call), and every caller waits for that last run. A burst of
 * proposals or of review decisions then costs two reads, not hundreds.
 */
export function coalesced(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null
  let again = false
  return () => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          await task()
        } while (again)
      } finally {
        running = null
      }
    })()
    return running
  }
}
