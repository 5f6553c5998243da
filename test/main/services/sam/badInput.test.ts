/** Bad models and bad images: each gives a clear error that names the file. */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { encodeModel, GraphBuilder } from '../../../../src/main/services/onnx/graphBuilder'
import { SamRuntime, type SamRuntimeOptions } from '../../../../src/main/services/sam/samRuntime'
import { discScene, writeImage } from '../../../helpers/samImages'
import { useTempDir } from '../../../helpers/tempDir'

const TOY = 'resources/models/toy-sam'
const dir = useTempDir()
const toy = (name: string) => path.join(TOY, name)

async function openError(options: Partial<SamRuntimeOptions> & Pick<SamRuntimeOptions, 'model'>): Promise<string> {
  try {
    const runtime = await SamRuntime.open({ providers: ['cpu'], ...options })
    await runtime.close()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected SamRuntime.open to fail')
}

function write(name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name)
  writeFileSync(file, bytes)
  return file
}

describe('bad model files', () => {
  it('a non-ONNX file', async () => {
    const file = write('notes.onnx', 'this is a text file, not a model\n')
    const message = await openError({ model: { encoderFile: toy('encoder.onnx'), decoderFile: file } })
    expect(message).toMatch(new RegExp(`^decoder ${file}: not a valid ONNX model, or a truncated one`))
  })

  it('a truncated model', async () => {
    const bytes = readFileSync(toy('decoder.onnx'))
    const file = write('truncated.onnx', bytes.subarray(0, Math.floor(bytes.length * 0.6)))
    const message = await openError({ model: { encoderFile: toy('encoder.onnx'), decoderFile: file } })
    expect(message).toMatch(new RegExp(`^decoder ${file}: not a valid ONNX model, or a truncated one`))
  })

  it('an ONNX model with unknown inputs', async () => {
    const g = new GraphBuilder('mystery')
    const x = g.input('pixels', 'float32', [1, 4])
    g.output('masks', g.node('Relu', [x]), 'float32', [1, 4])
    const file = write('mystery.onnx', encodeModel(g.build({ producerName: 'test' })))
    const message = await openError({ model: { encoderFile: toy('encoder.onnx'), decoderFile: file } })
    expect(message).toMatch(new RegExp(`^decoder ${file}: unknown decoder inputs: .*missing image_embeddings.*\\(inputs: pixels\\)`))
    const asEncoder = await openError({ model: { encoderFile: file, decoderFile: toy('decoder.onnx') } })
    expect(asEncoder).toMatch(new RegExp(`^encoder ${file}: unknown encoder input pixels`))
  })

  it('a missing file', async () => {
    const missing = path.join(dir, 'nowhere.onnx')
    expect(await openError({ model: { encoderFile: missing, decoderFile: toy('decoder.onnx') } })).toMatch(new RegExp(`^encoder ${missing}: model file not found`))
  })

  it('a manifest that contradicts the model, and a broken manifest', async () => {
    const folder = path.join(dir, 'lying')
    mkdirSync(folder)
    for (const name of ['encoder.onnx', 'decoder.onnx']) copyFileSync(toy(name), path.join(folder, name))
    const manifest = JSON.parse(readFileSync(toy('manifest.json'), 'utf8'))
    delete manifest.files.persamDecoder
    writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify({ ...manifest, encoderInput: 'hwc-float-longest-1024' }))
    expect(await openError({ model: { dir: folder } })).toMatch(/^encoder .*lying\/encoder\.onnx: the manifest says encoderInput "hwc-float-longest-1024" but the model's input image is "nchw-normalized-1024"/)
    writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify({ ...manifest, maskCount: 1 }))
    expect(await openError({ model: { dir: folder } })).toMatch(/^decoder .*lying\/decoder\.onnx: the manifest says 1 masks but the decoder returns 4/)
    writeFileSync(path.join(folder, 'manifest.json'), '{"id": ')
    expect(await openError({ model: { dir: folder } })).toMatch(/lying\/manifest\.json: not valid JSON/)
  })
})

describe('models without a manifest', () => {
  it('are recognised from their sessions (files found by name)', async () => {
    const folder = path.join(dir, 'bare')
    mkdirSync(folder)
    for (const name of ['encoder.onnx', 'decoder.onnx', 'decoder-persam.onnx']) copyFileSync(toy(name), path.join(folder, name))
    const runtime = await SamRuntime.open({ model: { dir: folder }, providers: ['cpu'] })
    try {
      expect(runtime.manifest).toBeNull()
      expect(runtime.model.id).toMatch(/^bare-[0-9a-f]{10}$/)
      expect(runtime.model.encoder.io.flavour).toBe('nchw-normalized-1024')
      expect(runtime.capabilities).toEqual({ maskCount: 4, persamInputs: true })
    } finally {
      await runtime.close()
    }
  })

  it('need exactly one encoder and one decoder file', async () => {
    const folder = path.join(dir, 'ambiguous')
    mkdirSync(folder)
    for (const name of ['encoder.onnx', 'decoder.onnx']) copyFileSync(toy(name), path.join(folder, name))
    copyFileSync(toy('decoder.onnx'), path.join(folder, 'decoder-quantized.onnx'))
    expect(await openError({ model: { dir: folder } })).toMatch(/ambiguous: no manifest\.json, and its \.onnx files \(decoder-quantized\.onnx, decoder\.onnx, encoder\.onnx\) are not one/)
  })
})

describe('bad images', () => {
  let runtime: SamRuntime
  beforeAll(async () => {
    runtime = await SamRuntime.open({ model: { dir: TOY }, providers: ['cpu'], maxImagePixels: 100_000 })
  })
  afterAll(() => runtime.close())

  it('a corrupt image', async () => {
    const file = write('broken.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5]))
    await expect(runtime.encodeFile(file)).rejects.toThrow(new RegExp(`^${file}: cannot (read|decode) image`))
  })

  it('an image over the pixel cap', async () => {
    const file = await writeImage(path.join(dir, 'big.png'), discScene(400, 300, []))
    await expect(runtime.encodeFile(file)).rejects.toThrow(new RegExp(`^${file}: image is 400x300 \\(0\\.1 megapixels\\), above the 0\\.1 megapixels limit`))
  })

  it('a missing image', async () => {
    const file = path.join(dir, 'gone.png')
    await expect(runtime.encodeFile(file)).rejects.toThrow(new RegExp(`^${file}: cannot read`))
  })
})
