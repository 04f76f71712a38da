/**
 * Phrasing shared by the rules' messages, so that every finding names
 * objects, sites and uses the same way.
 */
import * as path from 'node:path';
import type { SiteInfo, UseInfo } from '../index/types';

export function code(s: string): string {
  return `\`${s}\``;
}

/** `ops`, `ops.fn`, `ops.a.b`. */
export function dotted(name: string, member: string): string {
  return member ? `${name}.${member}` : name;
}

/** "a", "a and b", "a, b and c"; past `max` items the rest is counted ("a, b and 3 more"). */
export function listPhrase(items: readonly string[], max = 5): string {
  const shown = items.length > max ? [...items.slice(0, max - 1), `${items.length - max + 1} more`] : [...items];
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/** Where a site is: `in f()`, or `at file.h:12` for sites outside functions (X-macro lists). */
function siteWhere(site: SiteInfo): string {
  return site.function ? `in ${site.function}()` : `at ${path.basename(site.file)}:${site.span.line + 1}`;
}

/** "the site in f()" / "the 3 sites in f() and in g()", and whether the verb that follows is plural. */
export function sitesPhrase(sites: readonly SiteInfo[]): { text: string; plural: boolean } {
  const places = [...new Set(sites.map(siteWhere))];
  if (sites.length === 1) return { text: `the site ${places[0]}`, plural: false };
  return { text: `the ${sites.length} sites ${listPhrase(places)}`, plural: true };
}

/** What a runtime use does, as a verb phrase: "reads `.name` in f()", "takes its address in g()". */
export function describeUse(use: UseInfo): string {
  const member = use.path ? code(`.${use.path}`) : 'it';
  const through = use.via ? ` through ${code(use.via)}` : '';
  const where = `in ${use.function}()`;
  switch (use.kind) {
    case 'read':
      return `reads ${member}${through} ${where}`;
    case 'call':
      return `calls ${member}${through} directly ${where}`;
    case 'test':
      return `tests ${member}${through} ${where}`;
    case 'address':
      return use.path ? `takes the address of ${member}${through} ${where}` : `takes its address${through} ${where}`;
  }
}

/** Sites that call through `member` of their object or through a member below it ('' means every site). */
export function sitesUnder(sites: readonly SiteInfo[], member: string): SiteInfo[] {
  return sites.filter((s) => member === '' || s.member === member || s.member.startsWith(`${member}.`));
}
