/** The word each light carries (SPEC §1: status is never shown by colour alone). */
import type { CriterionStatus } from './types.js';

export const LIGHT_WORD: Record<CriterionStatus, string> = {
  PASS: 'GO',
  WARN: 'WARN',
  FAIL: 'NO-GO',
  UNKNOWN: '?',
  WAIVED: 'WAIVED',
};
