/**
 * Where the language server bench edits, found by reading the tree's text
 * rather than by indexing it (the server under test is the only analysis
 * that runs): a source file of about 5,000 lines with site macro calls
 * written in it, and a wrapper macro in a header that other files' sites
 * go through. Any tree works, the generated one or a real Xen.
 */
import * as path from 'node:path';
import { profile } from '../engine/config/profiles';
import { walkSources } from '../engine/files/walk';
import { isProblem, readSource } from '../engine/files/read';
import { isOtherArchPath } from '../engine/index/includes';

/** The size of file the issue asks the same-file edits to be timed in. */
export const EDITED_FILE_LINES = 5000;
/** A file with fewer usable sites than this cannot spread its edits over its functions. */
const MIN_SITES = 5;

export interface SiteLine {
  /** 0-based line of the site macro's name. */
  line: number;
  /** The blanks that line starts with. */
  indent: string;
  /** The same call made directly through the pointer, `ops.fn(a, b)`: a runtime use of the ops object. */
  directCall: string;
}

export interface SameFileTarget {
  file: string;
  lines: number;
  sites: SiteLine[];
}

export interface WrapperTarget {
  /** The header defining the wrapper. */
  file: string;
  macro: string;
  siteMacro: string;
  /** Where the site macro's first argument starts in the wrapper's definition (0-based). */
  line: number;
  character: number;
  /** Other files that use the wrapper. */
  users: number;
}

export interface Targets {
  sameFile: SameFileTarget | null;
  wrapper: WrapperTarget | null;
}

export function findTargets(root: string): Targets {
  const texts = new Map<string, string>();
  for (const file of walkSources([root]).files) {
    if (isOtherArchPath(path.relative(root, file), 'x86')) continue;
    const r = readSource(file);
    if (!isProblem(r)) texts.set(file, r.text);
  }
  const macros = profile().names.siteMacros;
  return { sameFile: editedFile(texts, macros), wrapper: busiestWrapper(texts, macros) };
}

/** The source file with enough usable sites whose length is nearest to EDITED_FILE_LINES. */
function editedFile(texts: ReadonlyMap<string, string>, macros: readonly string[]): SameFileTarget | null {
  let best: SameFileTarget | null = null;
  for (const [file, text] of texts) {
    if (!file.endsWith('.c')) continue;
    const lines = text.split('\n').length;
    if (best && Math.abs(lines - EDITED_FILE_LINES) >= Math.abs(best.lines - EDITED_FILE_LINES)) continue;
    const sites = statementSites(text, macros);
    if (sites.length >= MIN_SITES) best = { file, lines, sites };
  }
  return best;
}

/**
 * Sites through a plain target (`obj.member`, `obj`) written at the start
 * of a statement line in a function body, where a statement line inserted
 * before them is still in that body: the line before ends a statement, a
 * block or a condition, and is not part of a macro definition.
 */
export function statementSites(text: string, macros: readonly string[]): SiteLine[] {
  const lines = text.split('\n');
  const out: SiteLine[] = [];
  const call = macroCall(macros);
  let offset = 0;
  lines.forEach((line, n) => {
    const lineStart = offset;
    offset += line.length + 1;
    call.lastIndex = 0;
    const m = call.exec(line);
    if (!m || line.trimStart().startsWith('#') || line.trimEnd().endsWith('\\')) return;
    const before = lines.slice(0, n).reverse().find((l) => l.trim() !== '')?.trimEnd() ?? '';
    if (!/[;{})]$/.test(before) || before.endsWith('\\')) return;
    const args = callArguments(text, lineStart + m.index + m[0].length);
    const target = args?.[0].replace(/\s+/g, '');
    if (!args || !target || !/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(target)) return;
    out.push({ line: n, indent: /^\s*/.exec(line)![0], directCall: `${target}(${args.slice(1).map((a) => a.trim()).join(', ')})` });
  });
  return out;
}

/**
 * The function-like macro defined in a header whose body calls a site
 * macro and which the most other files use: an edit to it changes the
 * sites of all of them.
 */
function busiestWrapper(texts: ReadonlyMap<string, string>, macros: readonly string[]): WrapperTarget | null {
  let best: WrapperTarget | null = null;
  for (const [file, text] of texts) {
    if (!file.endsWith('.h')) continue;
    for (const w of wrapperDefinitions(text, macros)) {
      const use = new RegExp(`\\b${w.macro}\\s*\\(`);
      let users = 0;
      for (const [other, otherText] of texts) if (other !== file && use.test(otherText)) users++;
      if (users > (best?.users ?? 0)) best = { file, ...w, users };
    }
  }
  return best;
}

/**
 * `#define name(...)` definitions (continuation lines included) whose body
 * calls a site macro, with its first argument on the same line.
 */
export function wrapperDefinitions(text: string, macros: readonly string[]): Omit<WrapperTarget, 'file' | 'users'>[] {
  const lines = text.split('\n');
  const out: Omit<WrapperTarget, 'file' | 'users'>[] = [];
  const call = macroCall(macros);
  for (let n = 0; n < lines.length; n++) {
    const define = /^\s*#\s*define\s+([A-Za-z_]\w*)\(/.exec(lines[n]);
    if (!define || macros.includes(define[1])) continue;
    for (let k = n; k < lines.length; k++) {
      call.lastIndex = k === n ? define[0].length : 0;
      const m = call.exec(lines[k]);
      if (m) {
        const argument = /^\s*(?=\S)(?!\\)/.exec(lines[k].slice(m.index + m[0].length));
        if (argument) out.push({ macro: define[1], siteMacro: m[1], line: k, character: m.index + m[0].length + argument[0].length });
        break;
      }
      if (!lines[k].trimEnd().endsWith('\\')) break;
    }
  }
  return out;
}

/** A site macro's name followed by its opening parenthesis. */
function macroCall(macros: readonly string[]): RegExp {
  return new RegExp(`\\b(${[...macros].sort((a, b) => b.length - a.length).join('|')})\\s*\\(`, 'g');
}

/** The top-level arguments of a call whose `(` ends just before `from`; null if it is not closed. */
function callArguments(text: string, from: number): string[] | null {
  const args: string[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      // Skip the literal, escapes included.
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) {
        args.push(text.slice(start, i));
        return args;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i));
      start = i + 1;
    }
  }
  return null;
}
