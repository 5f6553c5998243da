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

/** One level of the folder picker (browser mode): a folder the server may read, and what is in it. */
export interface FolderListing {
  /** The folder listed, with symlinks resolved. */
  readonly path: string
  /** Its parent, or null at the top of an allowed root. */
  readonly parent: string | null
  /** The places the picker may browse (the user's home and the data folder). */
  readonly roots: readonly string[]
  readonly folders: readonly { readonly name: string; readonly path: string }[]
  /** Files with the requested extensions (e.g. COCO .json), when asked for. */
  readonly files: readonly { readonly name: string; readonly path: string }[]
}

/** Annotations found in a folder about to become a project: COCO files, a PerSeg layout. */
export interface AnnotationsFound {
  /** COCO instance files (a JSON object with images, annotations and categories at the top level). */
  readonly coco: readonly string[]
  /** The folder is a PerSeg layout: Images/<object>/ and Annotations/<object>/. */
  readonly perseg: boolean
}
