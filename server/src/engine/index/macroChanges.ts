/**
 * Which macros an edit changed, and which others that reaches: a change to a
 * macro changes the expansion of every macro whose body uses it, and so the
 * sites of every file that names any of them. The index re-scans only those.
 */
import type { FileFacts } from '../facts/types';
import { macroDefsKey } from '../preproc/directives';

/** Names defined, undefined or marked as fallbacks differently in `after` than in `before`. */
export function changedMacroNames(before: FileFacts, after: FileFacts): Set<string> {
  const a = byName(before);
  const b = byName(after);
  const out = new Set<string>();
  for (const [name, key] of a) if (b.get(name) !== key) out.add(name);
  for (const name of b.keys()) if (!a.has(name)) out.add(name);
  return out;
}

function byName(facts: FileFacts): Map<string, string> {
  const out = new Map<string, string>();
  const add = (name: string, text: string) => out.set(name, (out.get(name) ?? '') + text);
  for (const m of facts.macros) add(m.def.name, `${m.fallback ? '?' : ''}${macroDefsKey([m.def])}\n`);
  for (const u of facts.undefs) add(u.name, '#undef\n');
  return out;
}

/** `names` and every macro of the workspace whose body uses one of them, directly or through another. */
export function macroUsers(files: ReadonlyMap<string, FileFacts>, names: ReadonlySet<string>): Set<string> {
  const usedBy = new Map<string, Set<string>>();
  for (const facts of files.values()) {
    for (const m of facts.macros) {
      for (const t of m.def.body) {
        if (t.kind !== 'ident') continue;
        let users = usedBy.get(t.text);
        if (!users) usedBy.set(t.text, (users = new Set()));
        users.add(m.def.name);
      }
    }
  }
  const out = new Set(names);
  const queue = [...names];
  for (let i = 0; i < queue.length; i++) {
    for (const user of usedBy.get(queue[i]) ?? []) {
      if (out.has(user)) continue;
      out.add(user);
      queue.push(user);
    }
  }
  return out;
}
