/** A decoder the converter will not convert; `missing` names each structure it could not find. */
export class PersamifyError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly missing: readonly string[] = [],
  ) {
    super(`${file}: ${reason}${missing.map((item) => `\n  - ${item}`).join('')}`)
    this.name = 'PersamifyError'
  }
}
