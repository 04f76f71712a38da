/**
 * `--format sarif`: a SARIF 2.1.0 log (one run) for code-scanning services.
 * Rules carry their description and default level; results carry related
 * locations and fixes; files that could not be linted become tool
 * execution notifications. Paths inside the working directory are relative
 * to `%SRCROOT%`, which is that directory.
 */
import { pathToFileURL } from 'node:url';
import type { Severity } from '../../engine/rules/types';
import type { Located, LintReport, ReportFinding } from './report';
import { repoPath } from './paths';
import { ruleDocsHref } from '../../engine/packageInfo';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
const SRCROOT = '%SRCROOT%';

export function formatSarif(report: LintReport, cwd = process.cwd()): string {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const artifact = (file: string) => artifactLocation(file, cwd);
  const location = (l: Located) => ({ physicalLocation: { artifactLocation: artifact(l.file), region: region(l) } });
  const result = (f: ReportFinding) => ({
    ruleId: f.rule,
    ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [location(f)],
    ...(f.related.length ? { relatedLocations: f.related.map((r, i) => ({ id: i + 1, ...location(r), message: { text: r.message } })) } : {}),
    ...(f.fixes.length ? { fixes: f.fixes.map((x) => ({ description: { text: x.title }, artifactChanges: changes(x.edits, artifact) })) } : {}),
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: report.tool.name,
          version: report.tool.version,
          ...(report.tool.homepage ? { informationUri: report.tool.homepage } : {}),
          rules: report.rules.map((r) => ({
            id: r.id,
            shortDescription: { text: r.description },
            fullDescription: { text: r.description },
            help: { text: r.description, markdown: r.description },
            defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            ...(report.tool.homepage ? { helpUri: ruleDocsHref(r.id, report.tool.homepage) } : {}),
          })),
        },
      },
      originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(cwd).href.replace(/\/?$/, '/') } },
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: report.problems.map((p) => ({
          level: 'warning',
          message: { text: p.message },
          locations: [{ physicalLocation: { artifactLocation: artifact(p.path) } }],
        })),
      }],
      columnKind: 'utf16CodeUnits',
      results: report.findings.map(result),
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function region(r: Located) {
  return { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn };
}

/** A fix's edits grouped by file, as SARIF wants them. */
function changes(edits: Array<Located & { newText: string }>, artifact: (file: string) => object) {
  const byFile = new Map<string, typeof edits>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  return [...byFile].map(([file, list]) => ({
    artifactLocation: artifact(file),
    replacements: list.map((e) => ({ deletedRegion: region(e), insertedContent: { text: e.newText } })),
  }));
}

function artifactLocation(file: string, cwd: string): { uri: string; uriBaseId?: string } {
  const p = repoPath(file, cwd);
  if (!p.inside) return { uri: pathToFileURL(p.path).href };
  return { uri: p.path.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}
