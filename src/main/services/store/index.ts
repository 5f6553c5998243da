/** The project store: one SQLite file per project, typed repositories, persistent undo. */
export { Project, createProject, openProject, inspectProject, PROJECT_FILE, CACHE_DIR, type ProjectOptions, type CreateProjectOptions, type ProjectInfo } from './project'
export { ImageRepository, MAX_PAGE_SIZE, type ImagePage, type ImagePageQuery } from './images'
export { CategoryRepository, CATEGORY_PALETTE, type NewCategory } from './categories'
export { AnnotationRepository, ANNOTATION_INSERT_COLUMNS, checkMask } from './annotations'
export type { AnnotationListQuery } from './annotationList'
export type { AnnotationSummary } from '../../../common/ipc/dto/annotation'
export { ExportSnapshot, type ExportCategory, type ExportImage, type ExportMask, type ExportFilter, type ExportFrameMask, type ExportFrame, type ExportSequence } from './exportSnapshot'
export { ImportStager, type StagedAnnotation, type ImportKeyMap } from './importStager'
export { SequenceRepository, type NewSequence, type NewSequenceFrame, type SequenceFrame, type SequenceRecord, type SequenceSource } from './sequences'
export { ReferenceRepository, DEFAULT_REFERENCE_SET, type ReferenceSet } from './references'
export { EditHistory, DEFAULT_HISTORY_LIMIT, type HistoryStep, type HistoryApplied } from './history'
export {
  PropagationRunRepository,
  PROPAGATION_METHODS,
  type PropagationRun,
  type PropagationMethod,
  type PropagationRunState,
  type RunImageState,
  type NewPropagationRun,
  type RunProposal,
  type RunImageResult,
} from './propagationRuns'
export { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion, type Migration } from './migrations/index'
export { NewerSchemaError } from './errors'
export { storedMaskFromRle, storedMaskFromBinary, rleOfStored, binaryOfStored } from './masks'
export { isReplaceableByPropagation, KEPT_STATUSES } from './propagationRule'
export { toRelPath, fromRelPath, isInside, commonAncestor } from './paths'
export { BACKUP_DIR, DEFAULT_BACKUPS_KEPT, backupProject, listBackups, hasBackups, pruneBackups, resolveBackup, restoreBackup, type BackupOptions, type RestoreResult } from './backups'
export { checkDatabaseFile, damagedFileMessage, isCorruptionError, type FileCheck } from './fileCheck'
export {
  LOCK_FILE,
  HOLDER_KINDS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_STALE_AFTER_MS,
  ProjectLock,
  ProjectLockedError,
  describeHolder,
  isStale,
  readLock,
  type HolderKind,
  type LockHolder,
  type LockOptions,
  type LockRecord,
} from './projectLock'
export * from './types'
