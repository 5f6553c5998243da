/**
 * Tools are small state machines. Each receives pointer events already converted to image
 * pixels (see ../camera.ts) and acts through the editor; none touches Konva or the DOM.
 * The tool path `${id}.${state}` is mirrored into the session so views and tests can read it.
 */
import type { Editor } from '../Editor'
import type { ImagePoint, ScreenPoint } from '../geometry'
import type { ToolId } from '../state'

export type PointerButton = 'left' | 'middle' | 'right'

export interface EditorPointerEvent {
  readonly point: ImagePoint
  readonly screen: ScreenPoint
  readonly button: PointerButton
  readonly alt: boolean
  readonly shift: boolean
  readonly ctrl: boolean
}

/** A press moving more than this many screen pixels is a drag, not a click. */
export const DRAG_THRESHOLD_PX = 4

export abstract class Tool<State extends string = string> {
  abstract readonly id: ToolId
  protected abstract readonly initial: State
  private current: State | null = null

  constructor(protected readonly editor: Editor) {}

  get state(): State {
    return this.current ?? this.initial
  }

  get path(): string {
    return `${this.id}.${this.state}`
  }

  protected transition(state: State): void {
    this.current = state
    this.editor.updateSession({ toolState: state })
  }

  onEnter(): void {
    this.transition(this.initial)
  }

  /** Leaving the tool (switching tools, changing images) abandons whatever gesture was under way. */
  onExit(): void {
    this.onCancel()
  }

  onPointerDown(_event: EditorPointerEvent): void {}
  onPointerMove(_event: EditorPointerEvent): void {}
  onPointerUp(_event: EditorPointerEvent): void {}

  /** Esc, pointer capture lost, or the image changed under the gesture. */
  onCancel(): void {
    if (this.state !== this.initial) this.transition(this.initial)
  }
}
