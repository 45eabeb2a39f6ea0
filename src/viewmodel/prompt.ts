/** What the prompt, palette and banner views need of the flows: their words and refusals. */
export { describeFlow, PALETTE_HINT } from '../flows/describe.js';
export { paletteRows } from '../flows/paletteRows.js';
export { actRefusal } from '../flows/permissions.js';
export type { Flow, FlowContext } from '../flows/types.js';
