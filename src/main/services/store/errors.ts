/**
 * Store failures are StudioErrors, so the IPC dispatch passes their code and message to the
 * renderer unchanged. Subclasses exist where callers branch on the kind of failure.
 */
import { StudioError } from '../../../common/ipc/result'

/** The project file was written by a newer studio; it was opened read-only and left untouched. */
export class NewerSchemaError extends StudioError {
  constructor(
    readonly file: string,
    readonly fileVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      'invalid-input',
      `${file} was written by a newer PerSAM Studio (project schema version ${fileVersion}; this version reads up to ` +
        `${supportedVersion}). Open it with a newer PerSAM Studio; the file was not modified.`,
    )
    this.name = 'NewerSchemaError'
  }
}

export const notFound = (what: string): StudioError => new StudioError('not-found', `${what} does not exist`)
export const conflict = (message: string): StudioError => new StudioError('conflict', message)
export const invalidInput = (message: string): StudioError => new StudioError('invalid-input', message)
