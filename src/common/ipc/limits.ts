/**
 * Request limits the contract enforces and the renderer respects before sending. Kept apart from
 * contract.ts so the renderer can import them without pulling the zod schemas into its bundle.
 */

/** The most clicks one segment:preview may carry (the renderer stops adding points there). */
export const MAX_PROMPT_POINTS = 64
