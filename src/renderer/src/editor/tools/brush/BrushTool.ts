/** Brush (B): adds the stroke to the selected mask. */
import { StrokeTool } from '../stroke/StrokeTool'

export class BrushTool extends StrokeTool {
  readonly id = 'brush' as const
  protected readonly mode = 'brush' as const
}
