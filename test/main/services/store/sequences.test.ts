import { describe, expect, it } from 'vitest'
import { addImages, newProject } from './helpers'

describe('frame sequences in the store', () => {
  it('keeps frames in frame order with their timestamps, and finds the sequence of an image', () => {
    const project = newProject()
    const images = addImages(project, 4)
    // Inserted out of order: the stored order is the frame index, not insertion or path order.
    const sequence = project.sequences.create({ name: ' walk ', source: 'video', sourcePath: '/videos/walk.mp4', fps: 12.5 }, [
      { imageId: images[2]!.id, frameIndex: 2, timestampMs: 160 },
      { imageId: images[0]!.id, frameIndex: 0, timestampMs: 0 },
      { imageId: images[3]!.id, frameIndex: 1, timestampMs: 80 },
    ])
    expect(sequence).toMatchObject({ name: 'walk', source: 'video', sourcePath: '/videos/walk.mp4', fps: 12.5, frameCount: 3 })
    expect(project.sequences.frames(sequence.id).map((f) => [f.frameIndex, f.imageId, f.timestampMs])).toEqual([
      [0, images[0]!.id, 0],
      [1, images[3]!.id, 80],
      [2, images[2]!.id, 160],
    ])
    expect(project.sequences.frameOfImage(images[3]!.id)).toEqual({ sequenceId: sequence.id, frameIndex: 1, imageId: images[3]!.id, timestampMs: 80 })
    expect(project.sequences.frameOfImage(images[1]!.id)).toBeUndefined()
    expect(project.sequences.byName('walk')?.id).toBe(sequence.id)
    project.close()
  })

  it('refuses a clash and writes nothing of the failed sequence', () => {
    const project = newProject()
    const images = addImages(project, 3)
    project.sequences.create({ name: 'a', source: 'frames' }, [{ imageId: images[0]!.id, frameIndex: 0 }])
    expect(() => project.sequences.create({ name: 'a', source: 'frames' }, [])).toThrow('a sequence named "a" already exists')
    // The second frame repeats an image of sequence "a": the whole create rolls back.
    expect(() =>
      project.sequences.create({ name: 'b', source: 'frames' }, [
        { imageId: images[1]!.id, frameIndex: 0 },
        { imageId: images[0]!.id, frameIndex: 1 },
      ]),
    ).toThrow(`image ${images[0]!.id} or frame 1 is already frame 0 of sequence`)
    expect(project.sequences.list().map((s) => s.name)).toEqual(['a'])
    expect(project.sequences.frameOfImage(images[1]!.id)).toBeUndefined()
    expect(() => project.sequences.create({ name: 'c', source: 'frames' }, [{ imageId: images[1]!.id, frameIndex: -1 }])).toThrow('frame index must be a non-negative integer')
    expect(() => project.sequences.create({ name: 'd', source: 'video', fps: 0 }, [])).toThrow('fps must be a positive number')
    project.close()
  })

  it('drops a removed image from its sequence and keeps the images of a removed sequence', () => {
    const project = newProject()
    const images = addImages(project, 3)
    const sequence = project.sequences.create({ name: 's', source: 'frames' }, images.map((image, i) => ({ imageId: image.id, frameIndex: i })))
    project.images.remove([images[1]!.id])
    expect(project.sequences.frames(sequence.id).map((f) => f.frameIndex)).toEqual([0, 2])
    project.sequences.remove(sequence.id)
    expect(project.sequences.list()).toEqual([])
    expect(project.images.count()).toBe(2)
    project.close()
  })
})
