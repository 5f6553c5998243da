/**
 * The SAM runtime: one model pair in one inference worker, image loading, the embedding caches
 * (memory LRU + disk) and the SamDecoderPort the PerSAM engine and the studio API use.
 */
import { SAM_CANVAS, maskOutputSize } from '../../../common/sam/geometry'
import type { ModelManifest } from '../../../common/sam/manifest'
import {
  resultForRequest,
  type DecodeRequest,
  type DecodeResult,
  type DecoderCapabilities,
  type FusedFor,
  type FusedMultimask,
  type FusionWeightsOrNone,
  type ImageEmbedding,
  type MaskOutput,
  type SamDecoderPort,
} from '../../../common/sam/port'
import { ByteBudgetLru } from '../../../common/util/byteBudgetLru'
import { DEFAULT_MAX_IMAGE_PIXELS } from '../images/loadImage'
import { loadSamInput, type SamInputImage } from '../images/samInput'
import { fileSha256 } from './contentHash'
import { EmbeddingDiskCache } from './embeddingDiskCache'
import { resolveModelSource, type ModelSource } from './modelSource'
import type { LoadedModelInfo } from './protocol'
import { resolveProviderPreference, type ProviderPreference } from './providers'
import { InferenceWorkerClient, type RequestOptions, type WorkerEntry } from './workerClient'

export interface SamRuntimeOptions {
  readonly model: ModelSource
  /** Default 'auto' (the platform's accelerator, then cpu). */
  readonly providers?: ProviderPreference
  /** onnxruntime intra-op threads; 0 (default) lets onnxruntime choose. */
  readonly encoderThreads?: number
  readonly decoderThreads?: number
  /** In-memory embedding LRU budget. Default 256 MiB (64 SAM1 embeddings). */
  readonly memoryCacheBytes?: number
  /** Folder of the on-disk embedding cache; null or absent disables it. */
  readonly cacheDir?: string | null
  readonly maxImagePixels?: number
  /**
   * Largest mask size requested from the decoder when the caller gives no outputSize. Default
   * 1024x1024: the decoder's logits come from a 256x256 grid, so larger sizes only interpolate.
   */
  readonly maxMaskPixels?: number
  readonly workerEntry?: WorkerEntry
}

export interface EncodeTimings {
  readonly hashMs: number
  /** sharp: decode, orient, resize to the 1024 frame. */
  readonly loadMs: number
  readonly preprocessMs: number
  readonly encoderMs: number
  readonly cacheReadMs: number
  readonly cacheWriteMs: number
}

export interface EncodeOutcome {
  readonly embedding: ImageEmbedding
  readonly source: 'memory' | 'disk' | 'encoder'
  readonly timings: EncodeTimings
  /** Why the disk cache could not be used (a corrupt file that was recomputed, a failed write). */
  readonly cacheProblem?: string
}

export type TimedDecodeResult<K extends MaskOutput = MaskOutput, Fused extends FusedMultimask | null = FusedMultimask | null> = DecodeResult<K, Fused> & {
  readonly decoderMs: number
}

const ZERO_TIMINGS: EncodeTimings = { hashMs: 0, loadMs: 0, preprocessMs: 0, encoderMs: 0, cacheReadMs: 0, cacheWriteMs: 0 }

export class SamRuntime implements SamDecoderPort {
  private readonly memory: ByteBudgetLru<string, ImageEmbedding>
  private readonly disk: EmbeddingDiskCache | null
  private readonly inFlight = new Map<string, Promise<EncodeOutcome>>()

  private constructor(
    private readonly worker: InferenceWorkerClient,
    readonly model: LoadedModelInfo,
    readonly manifest: ModelManifest | null,
    private readonly options: SamRuntimeOptions,
  ) {
    this.memory = new ByteBudgetLru(options.memoryCacheBytes ?? 256 * 2 ** 20, (embedding) => embedding.data.byteLength)
    this.disk = options.cacheDir ? new EmbeddingDiskCache(options.cacheDir) : null
  }

  static async open(options: SamRuntimeOptions): Promise<SamRuntime> {
    const { spec, manifest } = await resolveModelSource(options.model)
    const worker = new InferenceWorkerClient(options.workerEntry)
    try {
      const model = await worker.load({
        model: spec,
        providers: resolveProviderPreference(options.providers ?? 'auto'),
        encoderThreads: options.encoderThreads ?? 0,
        decoderThreads: options.decoderThreads ?? 0,
      })
      return new SamRuntime(worker, model, manifest, options)
    } catch (error) {
      await worker.close()
      throw error
    }
  }

  get capabilities(): DecoderCapabilities {
    return { maskCount: this.model.maskCount, persamInputs: this.model.persamDecoder !== null || this.model.decoder.io.persamInputs !== null }
  }

  /** Worker diagnostics, for tests and the status bar. */
  get workerStats(): { readonly spawnCount: number; readonly droppedReplies: number } {
    return { spawnCount: this.worker.spawnCount, droppedReplies: this.worker.droppedReplies }
  }

  /** Whether an image's embedding is in the memory cache (prepared ahead of a click). */
  hasEmbedding(imageKey: string): boolean {
    return this.memory.get(this.cacheKey(imageKey)) !== undefined
  }

  /** Memory-cache, in-flight and worker-residency key of an image's embedding. */
  private cacheKey(imageKey: string): string {
    return `${this.model.id}\0${imageKey}`
  }

  /**
   * The embedding of an image file, from the memory cache, the disk cache or the encoder. The
   * image key defaults to the SHA-256 of the file; concurrent calls for one image share one run.
   */
  async encodeFile(file: string, options: { readonly imageKey?: string; readonly signal?: AbortSignal } = {}): Promise<EncodeOutcome> {
    const hashStart = performance.now()
    const imageKey = options.imageKey ?? (await fileSha256(file))
    const hashMs = performance.now() - hashStart
    const key = this.cacheKey(imageKey)
    const cached = this.memory.get(key)
    if (cached) return { embedding: cached, source: 'memory', timings: { ...ZERO_TIMINGS, hashMs } }
    const pending = this.inFlight.get(key)
    if (pending) return pending
    const work = this.computeOrRead(file, imageKey, hashMs, options.signal).finally(() => this.inFlight.delete(key))
    this.inFlight.set(key, work)
    return work
  }

  private async computeOrRead(file: string, imageKey: string, hashMs: number, signal?: AbortSignal): Promise<EncodeOutcome> {
    let cacheProblem: string | undefined
    const readStart = performance.now()
    if (this.disk) {
      const read = await this.disk.read(this.model.id, imageKey)
      if (read.status === 'hit') {
        this.memory.set(this.cacheKey(imageKey), read.embedding)
        return { embedding: read.embedding, source: 'disk', timings: { ...ZERO_TIMINGS, hashMs, cacheReadMs: performance.now() - readStart } }
      }
      if (read.status === 'invalid') cacheProblem = `embedding cache file for ${file} was unusable (${read.reason}); recomputed`
    }
    const cacheReadMs = performance.now() - readStart
    const loadStart = performance.now()
    const input = await loadSamInput(file, { maxPixels: this.options.maxImagePixels ?? DEFAULT_MAX_IMAGE_PIXELS })
    const loadMs = performance.now() - loadStart
    const outcome = await this.encodeResized(input, imageKey, { signal })
    if (outcome.cacheProblem) cacheProblem = cacheProblem ? `${cacheProblem}; ${outcome.cacheProblem}` : outcome.cacheProblem
    return { ...outcome, cacheProblem, timings: { ...outcome.timings, hashMs, loadMs, cacheReadMs } }
  }

  /**
   * Encodes an image already resized into the 1024 frame (see loadSamInput) and caches the result.
   * The pixels are transferred to the worker: `input.resized.rgb` is detached afterwards.
   */
  async encodeResized(input: SamInputImage, imageKey: string, options: RequestOptions = {}): Promise<EncodeOutcome> {
    const { geometry, resized } = input
    if (resized.width !== geometry.resizedWidth || resized.height !== geometry.resizedHeight || Math.max(resized.width, resized.height) > SAM_CANVAS) {
      throw new Error(`encodeResized: image is ${resized.width}x${resized.height}, geometry says ${geometry.resizedWidth}x${geometry.resizedHeight}`)
    }
    const key = this.cacheKey(imageKey)
    // The worker takes the pixels by transfer; hand it a copy when the caller's buffer is shared.
    const rgb = resized.rgb.byteOffset === 0 && resized.rgb.byteLength === resized.rgb.buffer.byteLength ? resized.rgb : resized.rgb.slice()
    const reply = await this.worker.encode({ rgb, width: resized.width, height: resized.height, keepAs: key }, options)
    const embedding: ImageEmbedding = { modelId: this.model.id, imageKey, data: reply.embedding, geometry }
    this.memory.set(key, embedding)
    let cacheProblem: string | undefined
    const writeStart = performance.now()
    if (this.disk) {
      try {
        await this.disk.write(embedding)
      } catch (error) {
        cacheProblem = error instanceof Error ? error.message : String(error)
      }
    }
    const timings = { ...ZERO_TIMINGS, preprocessMs: reply.preprocessMs, encoderMs: reply.encoderMs, cacheWriteMs: performance.now() - writeStart }
    return { embedding, source: 'encoder', timings, cacheProblem }
  }

  async decode<K extends MaskOutput = 'logits', F extends FusionWeightsOrNone = undefined>(
    request: DecodeRequest<K, F>,
    options: RequestOptions = {},
  ): Promise<TimedDecodeResult<K, FusedFor<F>>> {
    const { embedding } = request
    if (embedding.modelId !== this.model.id) throw new Error(`embedding comes from model ${embedding.modelId}, this runtime runs ${this.model.id}`)
    const { originalWidth, originalHeight } = embedding.geometry
    const outputSize = request.outputSize ?? maskOutputSize(originalWidth, originalHeight, this.options.maxMaskPixels ?? SAM_CANVAS * SAM_CANVAS)
    const reply = await this.worker.decode(
      {
        embeddingKey: this.cacheKey(embedding.imageKey),
        geometry: embedding.geometry,
        points: request.points,
        box: request.box ?? null,
        maskInput: request.maskInput ?? null,
        outputSize,
        attnSim: request.attnSim ?? null,
        targetEmbedding: request.targetEmbedding ?? null,
        fullSizeMasks: request.fullSizeMasks ?? [],
        maskOutput: request.maskOutput ?? 'logits',
        fusionWeights: request.fusionWeights ?? null,
      },
      embedding.data,
      options,
    )
    return Object.assign(resultForRequest(request, reply), { decoderMs: reply.decoderMs })
  }

  /** Stops a running encode or decode now; the worker restarts (and reloads the model) on the next request. */
  abort(): void {
    this.worker.abort()
  }

  async close(): Promise<void> {
    this.memory.clear()
    await this.worker.close()
  }
}
