export * from './types.js';
export { openFlow, flowKey, isCtrlK } from './reducer.js';
export { describeFlow, type FlowDescription } from './describe.js';
export { KIND_LABEL } from './permissions.js';
