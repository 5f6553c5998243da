/** Natural name order (frame2 before frame10, case ignored), ties broken by code units so the order is total. */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' })

export const naturalCompare = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0)
