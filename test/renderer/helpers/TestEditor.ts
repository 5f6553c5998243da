/**
 * An Editor driven like a user would drive it: pointer gestures in image pixels (converted to
 * screen pixels with the editor's own camera, as the canvas does), key presses by name, and an
 * `expectToBeIn('samPoints.boxing')` check of the active tool's state path.
 */
import { expect } from 'vitest'
import { imageToScreen, screenToImage } from '../../../src/renderer/src/editor/camera'
import { Editor, type EditorOptions } from '../../../src/renderer/src/editor/Editor'
import { imagePoint, screenPoint, type ScreenPoint } from '../../../src/renderer/src/editor/geometry'
import type { KeyInput } from '../../../src/renderer/src/editor/keymap'
import type { EditorPointerEvent, PointerButton } from '../../../src/renderer/src/editor/tools/Tool'
import { decodeCocoRuns } from '../../../src/renderer/src/masks/cocoRuns'
import { RunsCache } from '../../../src/renderer/src/masks/RunsCache'
import { FakeStudio } from './fakeStudio'

export interface PointerOptions {
  readonly button?: PointerButton
  readonly alt?: boolean
  readonly shift?: boolean
  readonly ctrl?: boolean
}

export class TestEditor extends Editor {
  readonly fake: FakeStudio

  /** Hover and selection test masks as the app does: on the decoded RLE runs. */
  constructor(fake = new FakeStudio(), options: EditorOptions = { maskContains: new RunsCache(decodeCocoRuns).contains }) {
    super(fake, options)
    this.fake = fake
  }

  /** Started, with the demo project open, its first image showing in an 800x600 viewport. */
  static async withDemo(fake = new FakeStudio(), options?: EditorOptions): Promise<TestEditor> {
    const editor = new TestEditor(fake, options)
    editor.camera.setViewport({ width: 800, height: 600 })
    await editor.start()
    await editor.documents.openDemo()
    await editor.whenIdle()
    return editor
  }

  event(x: number, y: number, options: PointerOptions = {}): EditorPointerEvent {
    return this.eventAtScreen(imageToScreen(this.session.camera, imagePoint(x, y)), options)
  }

  eventAtScreen(screen: ScreenPoint, options: PointerOptions = {}): EditorPointerEvent {
    return {
      point: screenToImage(this.session.camera, screen),
      screen,
      button: options.button ?? 'left',
      alt: options.alt ?? false,
      shift: options.shift ?? false,
      ctrl: options.ctrl ?? false,
    }
  }

  down(x: number, y: number, options?: PointerOptions): this {
    this.pointerDown(this.event(x, y, options))
    return this
  }

  move(x: number, y: number, options?: PointerOptions): this {
    this.pointerMove(this.event(x, y, options))
    return this
  }

  up(x: number, y: number, options?: PointerOptions): this {
    this.pointerUp(this.event(x, y, options))
    return this
  }

  click(x: number, y: number, options?: PointerOptions): this {
    return this.down(x, y, options).up(x, y, options)
  }

  drag(from: [number, number], to: [number, number], options?: PointerOptions, steps = 4): this {
    this.down(from[0], from[1], options)
    for (let i = 1; i <= steps; i++) this.move(from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps, options)
    return this.up(to[0], to[1], options)
  }

  /** Screen-space drag (for panning), in `steps` moves. */
  dragScreen(from: [number, number], to: [number, number], options?: PointerOptions, steps = 4): this {
    this.pointerDown(this.eventAtScreen(screenPoint(from[0], from[1]), options))
    for (let i = 1; i <= steps; i++) {
      this.pointerMove(this.eventAtScreen(screenPoint(from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps), options))
    }
    this.pointerUp(this.eventAtScreen(screenPoint(to[0], to[1]), options))
    return this
  }

  /** Presses a key as written in the keymap: 'Enter', 'X', 'Ctrl+Shift+Z', '[', 'Space'. Returns whether the editor used it. */
  press(combo: string, options: { repeat?: boolean } = {}): boolean {
    const input = keyInput(combo, options.repeat ?? false)
    const used = this.keyDown(input)
    return this.keyUp(input) || used
  }

  keyDownOnly(combo: string): boolean {
    return this.keyDown(keyInput(combo, false))
  }

  keyUpOnly(combo: string): boolean {
    return this.keyUp(keyInput(combo, false))
  }

  expectToBeIn(path: string): void {
    expect(this.tools.path).toBe(path)
    expect(`${this.session.tool}.${this.session.toolState}`).toBe(path)
  }

  annotation(id: number) {
    return this.doc.image?.annotations.find((a) => a.id === id) ?? null
  }
}

export function keyInput(combo: string, repeat: boolean): KeyInput {
  const parts = combo === '+' ? ['+'] : combo.split('+')
  const base = parts[parts.length - 1] ?? ''
  const modifiers = new Set(parts.slice(0, -1))
  const shift = modifiers.has('Shift')
  const key = base === 'Space' ? ' ' : base.length === 1 ? (shift ? base.toUpperCase() : base.toLowerCase()) : base
  return { key, ctrl: modifiers.has('Ctrl'), shift, alt: modifiers.has('Alt'), meta: false, repeat }
}
