/** Eraser (E): removes the stroke from the selected mask. */
import { StrokeTool } from '../stroke/StrokeTool'

export class EraserTool extends StrokeTool {
  readonly id = 'eraser' as const
  protected readonly mode = 'eraser' as const
}
