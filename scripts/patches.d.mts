/** Types of scripts/patches.mjs, for the tests that import it. */
import type { Plugin } from 'esbuild';

export interface Hunk {
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}
export interface FilePatch {
  /** Under node_modules, e.g. `ink/build/measure-text.js`. */
  path: string;
  created: boolean;
  hunks: Hunk[];
}
export interface Patch {
  file: string;
  name: string;
  version: string;
  files: FilePatch[];
}
export function patchName(file: string): { name: string; version: string };
export function parsePatch(text: string, label?: string): FilePatch[];
export function applyFilePatch(src: string | undefined, file: FilePatch, label?: string): string;
export function loadPatches(dir: string): Patch[];
export function patchesPlugin(patches: Patch[]): { plugin: Plugin; check: () => void; applied: Set<string> };
