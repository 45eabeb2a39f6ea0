/** The words and numbers views print, gathered so a view's only road into the domain is the view-model. */
export { formatClock, formatDuration } from '../config/duration.js';
export { formatValue } from '../engine/gate.js';
export { gateProbeId } from '../engine/probes.js';
export { checkpointLabel, formatT } from '../ramp/timeline.js';
export { pctText } from '../flows/validate.js';
export { LIGHT_WORD } from '../core/status.js';
export { judgedCell, judgedDetail } from '../judge/display.js';
