import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { assertExecutable, unpackedPath, videoToolPath } from '../../../../src/main/services/video/binaries'
import { tempDir } from '../../../helpers/tempDir'

describe('FFmpeg binaries', () => {
  it('run from app.asar.unpacked in a packaged app, elsewhere from where the package put them', () => {
    expect(unpackedPath('/opt/Studio/resources/app.asar/node_modules/@ffmpeg-installer/linux-x64/ffmpeg')).toBe(
      '/opt/Studio/resources/app.asar.unpacked/node_modules/@ffmpeg-installer/linux-x64/ffmpeg',
    )
    expect(unpackedPath('C:\\Studio\\resources\\app.asar\\node_modules\\x\\ffmpeg.exe')).toBe('C:\\Studio\\resources\\app.asar.unpacked\\node_modules\\x\\ffmpeg.exe')
    expect(unpackedPath('/home/me/studio/node_modules/@ffmpeg-installer/linux-x64/ffmpeg')).toBe('/home/me/studio/node_modules/@ffmpeg-installer/linux-x64/ffmpeg')
    expect(videoToolPath('ffmpeg')).toMatch(/@ffmpeg-installer[\\/][^\\/]+[\\/]ffmpeg(\.exe)?$/)
    expect(videoToolPath('ffprobe')).toMatch(/@ffprobe-installer[\\/][^\\/]+[\\/]ffprobe(\.exe)?$/)
  })

  it.skipIf(process.platform === 'win32')('name the path when the binary is missing, not a file, or not executable', () => {
    const dir = tempDir()
    const binary = path.join(dir, 'ffmpeg')
    expect(() => assertExecutable(binary, 'ffmpeg')).toThrow(`ffmpeg was not found at ${binary}`)
    mkdirSync(path.join(dir, 'folder'))
    expect(() => assertExecutable(path.join(dir, 'folder'), 'ffprobe')).toThrow(`ffprobe at ${path.join(dir, 'folder')} is not a file`)
    writeFileSync(binary, '#!/bin/sh\n')
    chmodSync(binary, 0o644)
    expect(() => assertExecutable(binary, 'ffmpeg')).toThrow(`ffmpeg at ${binary} is not executable`)
    chmodSync(binary, 0o755)
    expect(() => assertExecutable(binary, 'ffmpeg')).not.toThrow()
  })
})
