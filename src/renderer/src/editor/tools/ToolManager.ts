/** Owns the tool instances and routes pointer events to the active one. */
import type { Editor } from '../Editor'
import type { ToolId } from '../state'
import { BrushTool } from './brush/BrushTool'
import { EraserTool } from './eraser/EraserTool'
import { SamBoxTool } from './samBox/SamBoxTool'
import { SamPointsTool } from './samPoints/SamPointsTool'
import { SelectTool } from './select/SelectTool'
import type { EditorPointerEvent, Tool } from './Tool'

export class ToolManager {
  private readonly tools: Record<ToolId, Tool>

  constructor(private readonly editor: Editor) {
    this.tools = {
      select: new SelectTool(editor),
      samPoints: new SamPointsTool(editor),
      samBox: new SamBoxTool(editor),
      brush: new BrushTool(editor),
      eraser: new EraserTool(editor),
    }
  }

  get active(): Tool {
    return this.tools[this.editor.session.tool]
  }

  /** The active tool's state path, e.g. `samPoints.boxing`. */
  get path(): string {
    return this.active.path
  }

  setTool(id: ToolId): void {
    if (this.editor.session.tool === id) return
    this.editor.store.batch(() => {
      this.active.onExit()
      this.editor.updateSession({ tool: id })
      this.tools[id].onEnter()
    })
  }

  cancelActive(): void {
    this.active.onCancel()
  }

  pointerDown(event: EditorPointerEvent): void {
    this.active.onPointerDown(event)
  }

  pointerMove(event: EditorPointerEvent): void {
    this.active.onPointerMove(event)
  }

  pointerUp(event: EditorPointerEvent): void {
    this.active.onPointerUp(event)
  }
}
