/**
 * `bad-suppression`: a suppression comment naming no rule or an unknown
 * rule id silences nothing, which is easy to miss (a misspelt id).
 */
import type { Suppression } from '../facts/types';
import type { Fix, Rule, TextEdit } from './types';
import { code } from './describe';

export const BAD_SUPPRESSION = 'bad-suppression';

/** The rule, knowing which ids exist (the registry's, this one's included). */
export function badSuppression(knownIds: readonly string[]): Rule {
  return {
    id: BAD_SUPPRESSION,
    defaultSeverity: 'warning',
    description: 'A suppression comment names no rule or an unknown rule id, so it silences nothing.',
    check(ctx, report) {
      for (const [file, facts] of ctx.index.files) {
        const text = ctx.text(file);
        if (text === undefined) continue;
        for (const s of facts.suppressions) {
          if (s.ids.length === 0) {
            report({ file, span: s.span, message: 'This suppression names no rule id: it silences nothing.', related: [], fixes: [{ title: 'Remove the suppression comment', edits: [removeComment(file, text, s)], preferred: false }] });
            continue;
          }
          for (const id of s.ids) {
            if (knownIds.includes(id)) continue;
            const start = idOffset(text, s, id);
            const suggestion = closest(id, knownIds);
            const fixes: Fix[] = [];
            if (suggestion) fixes.push({ title: `Replace with ${code(suggestion)}`, edits: [{ file, start, end: start + id.length, newText: suggestion }], preferred: false });
            fixes.push(s.ids.length === 1
              ? { title: 'Remove the suppression comment', edits: [removeComment(file, text, s)], preferred: false }
              : { title: `Remove ${code(id)} from the suppression`, edits: [removeFromList(file, text, start, id)], preferred: false });
            report({
              file,
              span: { start, end: start + id.length, line: s.span.line, col: s.span.col + (start - s.span.start) },
              message: `${code(id)} is not an altcall rule id, so it silences nothing${suggestion ? `; did you mean ${code(suggestion)}?` : '.'}`,
              related: [],
              fixes,
            });
          }
        }
      }
    },
  };
}

/** Where `id` is written in the comment, after its colon (ids contain no newline, so the line stays). */
function idOffset(text: string, s: Suppression, id: string): number {
  const comment = text.slice(s.span.start, s.span.end);
  const colon = comment.indexOf(':');
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`(?<![\\w-])${escaped}(?![\\w-])`).exec(comment.slice(colon + 1));
  return s.span.start + colon + 1 + (m?.index ?? 0);
}

function removeFromList(file: string, text: string, start: number, id: string): TextEdit {
  const end = start + id.length;
  const before = /,[ \t]*$/.exec(text.slice(Math.max(0, start - 40), start));
  if (before) return { file, start: start - before[0].length, end, newText: '' };
  const after = /^[ \t]*,[ \t]*/.exec(text.slice(end, end + 40));
  return { file, start, end: end + (after?.[0].length ?? 0), newText: '' };
}

/** The comment, and its line if nothing else is on it, or the blanks before it otherwise. */
function removeComment(file: string, text: string, s: Suppression): TextEdit {
  const lineStart = text.lastIndexOf('\n', s.span.start - 1) + 1;
  const newline = text.indexOf('\n', s.span.end);
  const lineEnd = newline < 0 ? text.length : newline + 1;
  if (text.slice(lineStart, s.span.start).trim() === '' && text.slice(s.span.end, lineEnd).trim() === '') return { file, start: lineStart, end: lineEnd, newText: '' };
  let start = s.span.start;
  while (start > lineStart && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  return { file, start, end: s.span.end, newText: '' };
}

/** The known id nearest to a misspelt one, if it is near enough to be what was meant. */
function closest(id: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(3, Math.floor(id.length / 5)) + 1;
  for (const k of known) {
    const d = distance(id, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length];
}
