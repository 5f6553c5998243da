/**
 * The studio's image endpoint for workers without shared storage: GET
 * /runs/<run>/images/<imageId> with `Authorization: Bearer <the run's token>` answers the image's
 * bytes; anything else (another run, an image outside the run, a wrong token, another path) is
 * 404, so the endpoint reveals nothing beyond the images of a run whose token one holds.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ServedRun {
  readonly token: string
  /** The file of an image of the run, or null when the id is not one of its images. */
  readonly fileOf: (imageId: number) => string | null
}

export class ImageServer {
  private readonly runs = new Map<string, ServedRun>()

  private constructor(
    private readonly server: Server,
    /** The URL workers use, e.g. http://10.0.0.5:7801. */
    readonly url: string,
  ) {}

  /** Listens on `host:port` (the address the user chose; port 0 picks one). */
  static async listen(host: string, port: number, publicUrl?: string): Promise<ImageServer> {
    let self: ImageServer | null = null
    const server = createServer((request, response) => self!.handle(request.method ?? '', request.url ?? '', request.headers.authorization, response))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => resolve())
    })
    const address = server.address() as AddressInfo
    self = new ImageServer(server, publicUrl ?? `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`)
    return self
  }

  /** Serves a run's images until the returned function is called; the token is new and random. */
  serve(run: string, fileOf: ServedRun['fileOf']): { token: string; stop: () => void } {
    const token = randomBytes(24).toString('base64url')
    this.runs.set(run, { token, fileOf })
    return { token, stop: () => this.runs.delete(run) }
  }

  private handle(method: string, url: string, authorization: string | undefined, response: ServerResponse): void {
    const notFound = (): void => {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
    }
    const match = /^\/runs\/([A-Za-z0-9_.-]+)\/images\/(\d+)$/.exec(url)
    const run = match ? this.runs.get(match[1]!) : undefined
    if (method !== 'GET' || !match || !run || !sameToken(authorization, run.token)) return notFound()
    const file = run.fileOf(Number(match[2]))
    if (file === null) return notFound()
    const stream = createReadStream(file)
    stream.once('error', () => (response.headersSent ? response.destroy() : notFound()))
    stream.once('open', () => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' })
      stream.pipe(response)
    })
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

function sameToken(authorization: string | undefined, token: string): boolean {
  const given = Buffer.from(authorization?.replace(/^Bearer /, '') ?? '')
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}
