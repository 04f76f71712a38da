/**
 * Reads one file into `FileFacts`: lex, scan directives, decide conditionals
 * with the build configuration, blank attribute macros and dead branches,
 * parse with tree-sitter, and walk the tree. The tree is freed before return.
 */
import type { CParser, InputEdit, Point, SyntaxNode, SyntaxTree } from '../parse/backend';
import { lex, Token } from '../preproc/lexer';
import { scanDirectives, Directive } from '../preproc/directives';
import { analyseConditionals, BuildConfig } from '../preproc/conditions';
import { AttributeNames, blankForParsing } from '../parse/attributes';
import { lightTree } from '../parse/light';
import type { Names } from '../config/profiles';
import { LineIndex } from '../util/lines';
import { NodeText, children, declaredName, declaratorShape, listElements, namedChildren } from './nodes';
import { toValue } from './values';
import { extractFunction } from './functionFacts';
import type {
  Annotation, FieldFact, FileFacts, FunctionFact, InitMember, InitcallFact, MacroFact, Span, StructFact, Suppression, TypedefFact, VarFact,
} from './types';

const CONDITIONAL = new Set(['if', 'ifdef', 'ifndef', 'elif', 'else', 'endif']);

export interface ExtractOptions {
  attributes: AttributeNames;
  config: BuildConfig;
  names: Names;
  /** A file whose parse takes longer is left out, with a problem that says so (default 10 s). */
  parseDeadlineMs?: number;
}

const DEFAULT_PARSE_DEADLINE_MS = 10_000;

class ParseDeadlineError extends Error {}

export function extractFacts(path: string, text: string, parser: CParser, opts: ExtractOptions): FileFacts {
  const { facts, doc } = extractWithTree(path, text, parser, opts);
  parser.free(doc.tree);
  return facts;
}

/** A parsed document kept for incremental re-parsing: the text tree-sitter saw, its tree, and the facts read from it. */
export interface ParsedDoc { parsedText: string; tree: SyntaxTree; facts: FileFacts; }

/**
 * Like `extractFacts`, but keeps the tree, and re-parses incrementally from
 * `previous` (whose tree the caller must not use again). The edit given to
 * tree-sitter is the span where the parsed texts differ, so a change that
 * blanks or unblanks text far from the keystroke is still seen.
 */
export function extractWithTree(path: string, text: string, parser: CParser, opts: ExtractOptions, previous?: ParsedDoc): { facts: FileFacts; doc: ParsedDoc } {
  const tokens = lex(text);
  const directives = scanDirectives(text, tokens);
  const lines = new LineIndex(text);
  const conditionals = analyseConditionals(directives, text.length, opts.config);
  const dead = conditionals.dead;
  const isDead = deadTest(dead);
  const directiveRanges = directives.map((d) => [d.start, d.end] as const);
  // Directives other than conditionals are read from the directive scan, not the tree; tree-sitter
  // rejects them inside initialisers and argument lists, so they are blanked too.
  const hidden = [...directives.filter((d) => !CONDITIONAL.has(d.kind)).map((d) => [d.start, d.end] as const), ...singleBranchConditionals(directives, isDead)];
  const blanked = blankForParsing(text, tokens, opts.attributes, directiveRanges, [...dead, ...hidden], lines);
  const src = new NodeText(text, lines);

  const facts: FileFacts = {
    path,
    parse: { backend: parser.backend, errorNodes: 0, annotatedDecls: 0, annotatedDeclsClean: 0, problems: conditionals.problems.map((p) => `line ${p.line + 1}: ${p.message}`) },
    macros: macroFacts(directives, isDead),
    undefs: directives.filter((d) => d.kind === 'undef' && d.macroName && !isDead(d.start)).map((d) => ({ name: d.macroName!, start: d.start })),
    includes: directives
      .filter((d) => d.kind === 'include' && d.path !== undefined && !d.computed && !isDead(d.start))
      .map((d) => ({ path: d.path!, angled: d.angled ?? false, start: d.start, line: d.line })),
    variables: [],
    structs: [],
    functions: [],
    typedefs: [],
    initcalls: initcalls(tokens, directiveRanges, isDead, opts.names, lines),
    skip: mergeRanges([...directiveRanges, ...dead]),
    identifiers: identifiers(tokens, isDead),
    suppressions: suppressions(text, lines),
  };

  let old: SyntaxTree | undefined;
  let reuse: BodyReuser | undefined;
  if (previous) {
    const edit = diffEdit(previous.parsedText, blanked.text);
    if (edit) parser.edit(previous.tree, edit);
    old = previous.tree;
    reuse = new BodyReuser(previous.facts, edit, blanked.text);
  }
  const deadline = opts.parseDeadlineMs ?? DEFAULT_PARSE_DEADLINE_MS;
  const parsed = parser.parseWithin(blanked.text, deadline, old);
  if (previous) parser.free(previous.tree);
  if (!parsed) throw new ParseDeadlineError(`parsing took longer than ${deadline} ms; the file was left out`);
  const tree = parsed;
  let root;
  try {
    root = lightTree(tree, (offset) => {
      const s = lines.span(offset, offset);
      return { row: s.line, column: s.col };
    }, parser.symbols, reuse?.test);
  } catch (err) {
    parser.free(tree);
    throw err;
  }
  new TopLevelWalker(facts, src, blanked.annotations, reuse).walk(root);
  return { facts, doc: { parsedText: blanked.text, tree, facts } };
}

/**
 * What an edit leaves of the facts of the previous parse: the bodies of
 * functions wholly before the edited span, or wholly after it and starting
 * on a later line (their columns stay), read the same, moved by the edit's
 * length. The light copy skips those bodies and their facts are carried
 * over, so an edit costs about one function, not the file.
 */
class BodyReuser {
  private readonly byBodyStart = new Map<number, FunctionFact>();
  private readonly from: number;
  private readonly to: number;
  private readonly delta: number;
  private readonly lineDelta: number;

  constructor(previous: FileFacts, edit: InputEdit | null, text: string) {
    for (const fn of previous.functions) this.byBodyStart.set(fn.bodySpan.start, fn);
    this.from = edit?.startIndex ?? Number.POSITIVE_INFINITY;
    // Functions after the edit must start on a line after its last one.
    this.to = edit ? text.indexOf('\n', edit.newEndIndex) : Number.POSITIVE_INFINITY;
    this.delta = edit ? edit.newEndIndex - edit.oldEndIndex : 0;
    this.lineDelta = edit ? edit.newEndPosition.row - edit.oldEndPosition.row : 0;
  }

  readonly test = (fnStart: number, bodyStart: number, bodyEnd: number): boolean => this.old(fnStart, bodyStart, bodyEnd) !== undefined;

  /** The previous facts of the function whose body is now at `bodyStart`..`bodyEnd`, moved to where it now is. */
  carried(fnStart: number, bodyStart: number, bodyEnd: number): FunctionFact | undefined {
    const found = this.old(fnStart, bodyStart, bodyEnd);
    if (!found || !found.moved) return found?.fact;
    const old = found.fact;
    const d = this.delta;
    const dl = this.lineDelta;
    const move = (s: Span): Span => ({ start: s.start + d, end: s.end + d, line: s.line + dl, col: s.col });
    return {
      ...old,
      calls: old.calls.map((c) => ({ ...c, start: c.start + d, end: c.end + d })),
      writes: old.writes.map((w) => ({ ...w, span: move(w.span) })),
      refs: old.refs.map((r) => ({ ...r, span: move(r.span) })),
    };
  }

  private old(fnStart: number, bodyStart: number, bodyEnd: number): { fact: FunctionFact; moved: boolean } | undefined {
    let fact: FunctionFact | undefined;
    let moved = false;
    if (bodyEnd < this.from) {
      fact = this.byBodyStart.get(bodyStart);
    } else if (this.to >= 0 && fnStart > this.to) {
      fact = this.byBodyStart.get(bodyStart - this.delta);
      moved = true;
    }
    return fact && fact.bodySpan.end === bodyEnd - (moved ? this.delta : 0) ? { fact, moved } : undefined;
  }
}

/**
 * Directive lines of `#if` groups with at most one live branch. Such a group
 * reads the same without its directives, and tree-sitter cannot parse one
 * inside an initialiser or an argument list; groups with several live
 * branches stay for tree-sitter's own preprocessor nodes.
 */
function singleBranchConditionals(directives: Directive[], isDead: (o: number) => boolean): Array<readonly [number, number]> {
  const out: Array<readonly [number, number]> = [];
  const stack: Directive[][] = [];
  for (const d of directives) {
    if (d.kind === 'if' || d.kind === 'ifdef' || d.kind === 'ifndef') stack.push([d]);
    else if ((d.kind === 'elif' || d.kind === 'else') && stack.length) stack[stack.length - 1].push(d);
    else if (d.kind === 'endif' && stack.length) {
      const group = [...stack.pop()!, d];
      let live = 0;
      for (let i = 0; i + 1 < group.length; i++) if (!isDead(group[i].end + 1) || group[i + 1].start <= group[i].end + 1) live++;
      if (live <= 1) for (const g of group) out.push([g.start, g.end]);
    }
  }
  return out;
}

function mergeRanges(ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function deadTest(dead: ReadonlyArray<readonly [number, number]>): (offset: number) => boolean {
  return (offset) => {
    let lo = 0;
    let hi = dead.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (dead[mid][1] <= offset) lo = mid + 1;
      else if (dead[mid][0] > offset) hi = mid - 1;
      else return true;
    }
    return false;
  };
}

/**
 * Macro definitions. Those under `#ifndef X`, where X is a real macro (not
 * an empty include guard), are fallbacks for a definition found elsewhere.
 */
function macroFacts(directives: Directive[], isDead: (o: number) => boolean): MacroFact[] {
  const out: MacroFact[] = [];
  const substantive = new Set(directives.filter((d) => d.macro && (d.macro.params !== null || d.macro.body.length > 0)).map((d) => d.macro!.name));
  const open: Array<string | null> = [];
  for (const d of directives) {
    if (d.kind === 'ifndef') open.push(d.condition?.[0]?.text ?? null);
    else if (d.kind === 'if' || d.kind === 'ifdef') open.push(notDefinedName(d.condition ?? []));
    else if (d.kind === 'else' || d.kind === 'elif') open[open.length - 1] = null;
    else if (d.kind === 'endif') open.pop();
    else if (d.kind === 'define' && d.macro && !isDead(d.start)) out.push({ def: d.macro, fallback: open.some((n) => n !== null && substantive.has(n)) });
  }
  return out;
}

/** The name in `#if !defined(NAME)` / `#if !defined NAME`, else null. */
function notDefinedName(cond: Token[]): string | null {
  const t = cond.map((c) => c.text).filter((s) => s !== '(' && s !== ')');
  return t.length === 3 && t[0] === '!' && t[1] === 'defined' ? t[2] : null;
}

/** `presmp_initcall(fn);` / `__initcall(fn);` at file scope, read from tokens: they are macros tree-sitter cannot see through. */
function initcalls(tokens: Token[], directiveRanges: ReadonlyArray<readonly [number, number]>, isDead: (o: number) => boolean, names: Names, lines: LineIndex): InitcallFact[] {
  const level = new Map<string, InitcallFact['level']>();
  for (const n of names.presmpInitcalls) level.set(n, 'presmp');
  for (const n of names.postInitcalls) level.set(n, 'post');
  const out: InitcallFact[] = [];
  let r = 0;
  for (let i = 0; i + 3 < tokens.length; i++) {
    const t = tokens[i];
    const lv = t.kind === 'ident' ? level.get(t.text) : undefined;
    if (!lv) continue;
    while (r < directiveRanges.length && directiveRanges[r][1] <= t.start) r++;
    if (r < directiveRanges.length && directiveRanges[r][0] <= t.start) continue;
    if (isDead(t.start) || tokens[i + 1].text !== '(' || tokens[i + 2].kind !== 'ident' || tokens[i + 3].text !== ')') continue;
    out.push({ fn: tokens[i + 2].text, level: lv, span: lines.span(t.start, tokens[i + 3].end) });
  }
  return out;
}

function identifiers(tokens: Token[], isDead: (o: number) => boolean): string[] {
  const seen = new Set<string>();
  for (const t of tokens) if (t.kind === 'ident' && !seen.has(t.text) && !isDead(t.start)) seen.add(t.text);
  return [...seen];
}

const SUPPRESSION = /\/[/*]\s*altcall-ignore(-next-line)?\s*:\s*([A-Za-z0-9_,\s-]*?)\s*(?:\*\/|$)/gm;

function suppressions(text: string, lines: LineIndex): Suppression[] {
  const out: Suppression[] = [];
  if (!text.includes('altcall-ignore')) return out;
  for (const m of text.matchAll(SUPPRESSION)) {
    const span = lines.span(m.index!, m.index! + m[0].length);
    const ids = m[2].split(',').map((s) => s.trim()).filter((s) => s !== '');
    out.push({ line: span.line, ids, nextLine: m[1] !== undefined, span });
  }
  return out;
}

/** Walks file-scope items, looking inside preprocessor branches and ERROR nodes. */
class TopLevelWalker {
  private prevEnd = 0;

  constructor(private readonly facts: FileFacts, private readonly src: NodeText, private readonly annotations: Annotation[], private readonly reuse?: BodyReuser) {}

  walk(root: SyntaxNode): void {
    this.facts.parse.errorNodes = countErrors(root);
    this.items(root);
  }

  private items(node: SyntaxNode): void {
    for (const item of namedChildren(node)) {
      switch (item.type) {
        case 'declaration':
          this.declaration(item);
          break;
        case 'function_definition':
          this.functionDefinition(item);
          break;
        case 'type_definition':
          this.typeDefinition(item);
          break;
        case 'struct_specifier':
        case 'union_specifier':
          this.structSpecifier(item);
          break;
        case 'preproc_if':
        case 'preproc_ifdef':
        case 'preproc_else':
        case 'preproc_elif':
        case 'preproc_elifdef':
        case 'linkage_specification':
        case 'declaration_list':
        case 'ERROR':
          this.items(item);
          continue;
        default:
          break;
      }
      this.prevEnd = Math.max(this.prevEnd, item.endIndex);
    }
  }

  /** Attribute macros written between the previous item and `upTo` belong to this item. */
  private annotationsBefore(upTo: number): Annotation[] {
    const out: Annotation[] = [];
    for (const a of this.annotations) {
      if (a.span.start >= upTo) break;
      if (a.span.start >= this.prevEnd) out.push(a);
    }
    return out;
  }

  private recordParseQuality(item: SyntaxNode, annotations: Annotation[]): void {
    if (annotations.length === 0) return;
    this.facts.parse.annotatedDecls++;
    if (!item.hasError) this.facts.parse.annotatedDeclsClean++;
  }

  private functionDefinition(def: SyntaxNode): void {
    const body = def.childForFieldName('body');
    const annotations = this.annotationsBefore(body ? body.startIndex : def.endIndex);
    this.recordParseQuality(def, annotations);
    const carried = body?.opaque ? this.reuse?.carried(def.startIndex, body.startIndex, body.endIndex) : undefined;
    const fn = extractFunction(def, this.src, annotations, carried);
    if (fn) this.facts.functions.push(fn);
    this.typeOf(def);
  }

  private declaration(decl: SyntaxNode): void {
    const specifiers = children(decl);
    const storage = specifiers.filter((c) => c.type === 'storage_class_specifier').map((c) => this.src.text(c));
    const isConst = specifiers.some((c) => c.type === 'type_qualifier' && this.src.text(c) === 'const');
    const type = decl.childForFieldName('type');
    const declarators = specifiers.filter((c) => c !== type && isDeclarator(c));
    const firstValue = declarators.find((d) => d.type === 'init_declarator')?.childForFieldName('value');
    const annotations = this.annotationsBefore(firstValue ? firstValue.startIndex : decl.endIndex);
    this.recordParseQuality(decl, annotations);
    const typeInfo = this.typeOf(decl);
    for (const d of declarators) {
      const nameNode = declaredName(d);
      if (!nameNode) continue;
      const shape = declaratorShape(d, this.src);
      if (shape.isFunction) continue;
      const value = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
      const fact: VarFact = {
        name: this.src.text(nameNode),
        span: this.src.span(nameNode),
        declSpan: this.src.span(decl),
        typeStart: firstTypeStart(decl, type),
        storage: storage.includes('static') ? 'static' : storage.includes('extern') ? 'extern' : '',
        isDefinition: !storage.includes('extern') || value !== null,
        isConst,
        typeText: type ? this.src.text(type) : '',
        structName: typeInfo.structName,
        typeofOf: typeInfo.typeofOf,
        isPointer: shape.isPointer,
        isFunctionPointer: shape.isFunctionPointer,
        isArray: shape.arrayLength !== null,
        annotations,
        init: value ? this.initialiser(value, '') : null,
      };
      this.facts.variables.push(fact);
    }
  }

  private initialiser(value: SyntaxNode, prefix: string): InitMember[] {
    if (value.type !== 'initializer_list') return [{ path: prefix, value: toValue(value, this.src), span: this.src.span(value) }];
    const out: InitMember[] = [];
    let position = 0;
    for (const item of listElements(value)) {
      let path: string;
      let v: SyntaxNode | null = item;
      if (item.type === 'initializer_pair') {
        path = namedChildren(item)
          .filter((c) => c.type === 'field_designator' || c.type === 'subscript_designator')
          .map((c) => (c.type === 'field_designator' ? this.src.text(c).replace(/^\.\s*/, '') : `[${this.src.text(c).slice(1, -1).trim()}]`))
          .join('.');
        v = item.childForFieldName('value');
      } else {
        path = `#${position}`;
      }
      position++;
      const full = prefix === '' ? path : `${prefix}.${path}`;
      if (v) out.push(...this.initialiser(v, full));
    }
    return out;
  }

  private typeDefinition(def: SyntaxNode): void {
    const info = this.typeOf(def);
    for (const d of namedChildren(def)) {
      if (d === def.childForFieldName('type') || !isDeclarator(d)) continue;
      const nameNode = declaredName(d);
      if (!nameNode) continue;
      const shape = declaratorShape(d, this.src);
      const type = def.childForFieldName('type');
      const fact: TypedefFact = {
        name: this.src.text(nameNode), structName: shape.isPointer ? null : info.structName,
        isFunctionPointer: shape.isFunctionPointer, isPointer: shape.isPointer, typeText: type ? this.src.text(type) : '',
      };
      this.facts.typedefs.push(fact);
    }
  }

  /** The struct a declaration's type names (recording its definition if it has a body), or the `typeof` operand. */
  private typeOf(decl: SyntaxNode): { structName: string | null; typeofOf: string | null } {
    const type = decl.childForFieldName('type');
    if (!type) return { structName: null, typeofOf: null };
    if (type.type === 'struct_specifier' || type.type === 'union_specifier') return { structName: this.structSpecifier(type), typeofOf: null };
    if (type.type === 'type_identifier') return { structName: null, typeofOf: null };
    const text = this.src.text(type);
    const m = /^(?:typeof|__typeof__|__typeof)\s*\(\s*([A-Za-z_][\w.]*)\s*\)$/.exec(text);
    return { structName: null, typeofOf: m ? m[1] : null };
  }

  private structSpecifier(spec: SyntaxNode): string | null {
    const nameNode = spec.childForFieldName('name');
    const body = spec.childForFieldName('body');
    // Anonymous structs get a name unique to their place, so members can still be looked up.
    const name = nameNode ? this.src.text(nameNode) : body ? `(anonymous)@${this.facts.path}:${spec.startIndex}` : null;
    if (body && name) {
      const fact: StructFact = {
        name, span: this.src.span(nameNode ?? spec), fields: this.fields(body), isUnion: spec.type === 'union_specifier',
        bodyStart: body.startIndex, bodyEnd: body.endIndex,
      };
      this.facts.structs.push(fact);
    }
    return name;
  }

  private fields(body: SyntaxNode): FieldFact[] {
    const out: FieldFact[] = [];
    for (const field of namedChildren(body)) {
      if (field.type === 'preproc_if' || field.type === 'preproc_ifdef' || field.type === 'preproc_else' || field.type === 'preproc_elif') {
        out.push(...this.fields(field));
        continue;
      }
      if (field.type !== 'field_declaration') continue;
      const type = field.childForFieldName('type');
      const structName = type && (type.type === 'struct_specifier' || type.type === 'union_specifier') ? this.structSpecifier(type) : null;
      const declarators = namedChildren(field).filter((d) => d !== type && isDeclarator(d));
      // `struct { ... };` / `union { ... };` inside a struct: an anonymous member whose fields are the parent's.
      if (declarators.length === 0 && structName) {
        out.push({ name: '', start: field.startIndex, typeText: this.src.text(type!), isPointer: false, isFunctionPointer: false, arrayLength: null, structName });
        continue;
      }
      for (const d of namedChildren(field)) {
        if (d === type || !isDeclarator(d)) continue;
        const nameNode = declaredName(d);
        if (!nameNode) continue;
        const shape = declaratorShape(d, this.src);
        out.push({
          name: this.src.text(nameNode),
          start: d.startIndex,
          typeText: type ? this.src.text(type) : '',
          isPointer: shape.isPointer,
          isFunctionPointer: shape.isFunctionPointer || shape.isFunction,
          arrayLength: shape.arrayLength,
          structName: shape.isPointer ? null : structName,
        });
      }
    }
    return out;
  }
}

function isDeclarator(node: SyntaxNode): boolean {
  return node.type === 'identifier' || node.type === 'field_identifier' || node.type === 'type_identifier' || node.type.endsWith('_declarator');
}

function firstTypeStart(decl: SyntaxNode, type: SyntaxNode | null): number {
  for (const c of children(decl)) {
    if (c.type === 'type_qualifier' || c === type) return c.startIndex;
  }
  return decl.startIndex;
}

function countErrors(root: SyntaxNode): number {
  if (!root.hasError) return 0;
  let count = 0;
  const stack: SyntaxNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'ERROR' || n.isMissing) count++;
    if (!n.hasError) continue;
    for (let i = 0; i < n.childCount; i++) {
      const c = n.child(i);
      if (c && (c.hasError || c.isMissing)) stack.push(c);
    }
  }
  return count;
}

/** The single edit turning `before` into `after` (common prefix and suffix kept), or null if equal. */
function diffEdit(before: string, after: string): InputEdit | null {
  if (before === after) return null;
  let start = 0;
  const min = Math.min(before.length, after.length);
  while (start < min && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  const beforeLines = new LineIndex(before);
  return {
    startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd,
    startPosition: pointAt(beforeLines, start), oldEndPosition: pointAt(beforeLines, oldEnd), newEndPosition: pointAt(new LineIndex(after), newEnd),
  };
}

function pointAt(lines: LineIndex, offset: number): Point {
  const span = lines.span(offset, offset);
  return { row: span.line, column: span.col };
}
