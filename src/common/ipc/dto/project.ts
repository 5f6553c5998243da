/** Projects and categories, as the renderer sees them. */

export interface ProjectSummary {
  readonly projectDir: string
  readonly name: string
  /** Folder the image paths are relative to. */
  readonly imagesRoot: string
  readonly imageCount: number
  readonly annotationCount: number
  readonly isDemo: boolean
}

export interface RecentProject {
  readonly projectDir: string
  readonly name: string
  readonly openedAt: string
  /** False when the folder or its project.sqlite is gone. */
  readonly available: boolean
}

export interface Category {
  readonly id: number
  readonly name: string
  /** #rrggbb */
  readonly color: string
  readonly annotationCount: number
  readonly referenceCount: number
}
