/** Folder exports (PerSeg layout, PNG masks) are built aside and renamed: see fs/atomicWrite buildFolderAtomically. */
export { buildFolderAtomically } from '../fs/atomicWrite'

/** A category name as a folder name on every platform. */
export function safeFolderName(name: string): string {
  const cleaned = [...name]
    .map((c) => (c.charCodeAt(0) < 32 || '<>:"/\\|?*'.includes(c) ? '_' : c))
    .join('')
    .replace(/[. ]+$/, '')
    .trim()
  return cleaned === '' || /^(con|prn|aux|nul|com\d|lpt\d)$/i.test(cleaned) ? `_${cleaned}` : cleaned
}
