/**
 * The real inference worker, plus one way to make it crash the way a native fault would (the
 * thread dies mid-request): an encode job 13 pixels wide ends the thread with exit code 7.
 */
import { parentPort } from 'node:worker_threads'

// The real worker first: a port delivers messages as soon as its first listener is attached.
await import('../../src/main/services/sam/inferenceWorker')
parentPort!.on('message', (request: { type: string; job?: { width?: number } }) => {
  if (request.type === 'encode' && request.job?.width === 13) process.exit(7)
})
