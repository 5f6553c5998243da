/** The renderer's prompt limit is the contract's: a request at the limit passes, one more point is refused. */
import { describe, expect, it } from 'vitest'
import { invokeChannels } from '../../../src/common/ipc/contract'
import { MAX_PROMPT_POINTS } from '../../../src/common/ipc/limits'

const request = (points: number) => ({
  requestId: 1,
  imageId: 1,
  points: Array.from({ length: points }, (_, i) => ({ x: i, y: i, positive: true })),
})

describe('MAX_PROMPT_POINTS', () => {
  it('is the most points segment:preview accepts', () => {
    const schema = invokeChannels['segment:preview'].request
    expect(schema.safeParse(request(MAX_PROMPT_POINTS)).success).toBe(true)
    const refused = schema.safeParse(request(MAX_PROMPT_POINTS + 1))
    expect(refused.success).toBe(false)
    expect(refused.error?.issues[0]?.path).toEqual(['points'])
  })
})
