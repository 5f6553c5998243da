import { describe, expect, it } from 'vitest'
import { formatSize } from '../../../src/common/util/formatSize'

describe('formatSize', () => {
  it('writes sizes in binary multiples, as the CLI and the models panel print them', () => {
    // sam-vit-b-quant: encoder 99 827 688 + decoder 8 743 656 bytes.
    expect(formatSize(99_827_688 + 8_743_656)).toBe('103.5 MB')
    expect(formatSize(1024 * 1024)).toBe('1.0 MB')
    expect(formatSize(1024 * 1024 - 1)).toBe('1024 KB')
    expect(formatSize(78_315)).toBe('76 KB')
    expect(formatSize(1023)).toBe('1023 B')
    expect(formatSize(3 * 1024 ** 3)).toBe('3.00 GB')
    expect(formatSize(-1)).toBe('—')
    expect(formatSize(Number.NaN)).toBe('—')
  })
})
