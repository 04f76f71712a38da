/**
 * A lens above each site: where the call can go, and a link to its patch
 * preview (a client-side command, see protocol.ts).
 */
import type { CodeLens } from 'vscode-languageserver';
import type { SiteInfo } from '../engine/index/types';
import type { IndexResult } from '../engine/index/workspace';
import { listPhrase } from '../engine/rules/describe';
import type { TextPositions } from './positions';
import { SHOW_PREVIEW_COMMAND } from './protocol';

const SHOWN_TARGETS = 4;

export function siteLenses(result: IndexResult, file: string, uri: string, positions: TextPositions): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const site of result.sites) {
    if (site.file !== file) continue;
    const range = positions.range(site.span.start, site.span.start);
    lenses.push({ range, command: { title: targetsTitle(result, site), command: '' } });
    if (site.ops && site.patchable) {
      lenses.push({ range, command: { title: 'patch preview', command: SHOW_PREVIEW_COMMAND, arguments: [{ uri, position: range.start }] } });
    }
  }
  return lenses;
}

function targetsTitle(result: IndexResult, site: SiteInfo): string {
  if (!site.ops || !site.patchable) return `not patchable: ${site.reason ?? 'no ops object'}`;
  const ops = result.objects.find((o) => o.id === site.ops);
  const names = [...new Set((ops?.candidates[site.member] ?? []).map((c) => c.target ?? 'NULL'))];
  if (names.length === 0) return 'no known target';
  return `→ ${listPhrase(names, SHOWN_TARGETS)}`;
}
