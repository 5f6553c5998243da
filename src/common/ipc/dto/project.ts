/** Projects and categories, as the renderer sees them. */

export interface ProjectSummary {
  readonly projectDir: string
  readonly name: string
  /** Folder the image paths are relative to. */
  readonly imagesRoot: string
  readonly imageCount: number
  readonly annotationCount: number
  readonly isDemo: boolean
  /** Set when every write is refused: why, and a sentence for the user. */
  readonly readOnly: ReadOnlyState | null
}

export interface ReadOnlyState {
  /** locked: another process has the project open for writing; damaged: the file failed its check; requested: opened read-only on purpose. */
  readonly reason: 'locked' | 'damaged' | 'requested'
  readonly message: string
}

/** One copy of project.sqlite in the project's backups/ folder. */
export interface BackupInfo {
  readonly name: string
  readonly file: string
  /** ISO time the copy was made. */
  readonly createdAt: string
  readonly sizeBytes: number
  /** Null when the copy cannot be read. */
  readonly imageCount: number | null
  readonly annotationCount: number | null
  /** The file a restore replaced (restore it to undo that restore). */
  readonly beforeRestore: boolean
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
  /** The folder is a DAVIS layout: JPEGImages/480p/<sequence>/ and Annotations/480p/<sequence>/. */
  readonly davis: boolean
}
