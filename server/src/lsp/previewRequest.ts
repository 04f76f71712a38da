/** `altcall/preview`: the patch preview of the site at a position, as text and as the CLI's JSON. */
import { isProfileName, PROFILE_NAMES } from '../engine/config/profiles';
import { previewToJson, renderPreviewReport, type Previewer } from '../preview';
import type { PreviewParams, PreviewResult } from './protocol';

/** Why the params cannot be used, or null when they are well formed. */
export function badPreviewParams(p: unknown): string | null {
  if (typeof p !== 'object' || p === null) return 'params must be an object { uri, position, profile?, ibt? }';
  const q = p as Record<string, unknown>;
  if (typeof q.uri !== 'string') return 'uri must be a string';
  const pos = q.position as Record<string, unknown> | undefined;
  if (typeof pos !== 'object' || pos === null || !isCount(pos.line) || !isCount(pos.character)) return 'position must be { line, character } with non-negative integers';
  if (q.profile !== undefined && q.profile !== null && !(typeof q.profile === 'string' && isProfileName(q.profile))) return `profile must be one of ${PROFILE_NAMES.join(', ')}`;
  if (q.ibt !== undefined && q.ibt !== null && typeof q.ibt !== 'boolean') return 'ibt must be true or false';
  return null;
}

function isCount(x: unknown): boolean {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

export function previewAtPosition(previewer: Previewer, file: string, params: PreviewParams): PreviewResult {
  const sites = previewer.sitesAt(file, { line: params.position.line + 1, column: params.position.character + 1 });
  const report = previewer.preview(sites);
  const structure = previewToJson(report);
  const text = sites.length ? renderPreviewReport(report) : `No alternative-call site at line ${params.position.line + 1}, column ${params.position.character + 1}.\n`;
  return { text, structure };
}
