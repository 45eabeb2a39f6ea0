/** The audit trail (SPEC §5): ledger, decision records, verify and report. */
export * from './types.js';
export { canonicalJson, sha256Tagged, jsonSafe } from './canonical.js';
export { hashEntry, chainEntry, verifyChain, splitLines, parseLedgerLines, parseLedgerLinesNumbered, type RawLine } from './chain.js';
export { Ledger, type LedgerOptions } from './ledger.js';
export * from './decisionFile.js';
export * from './state.js';
export { verifyAuditDir, inspectAuditDir, type AuditVerifyResult } from './verify.js';
export { renderReport, renderReportFromLines, AuditReportError, type ReportOptions } from './report.js';
