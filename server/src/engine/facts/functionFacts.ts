/**
 * Facts of one function body: calls, writes to non-local objects, other
 * references to non-local names with their kind, values flowing into
 * locals and out through `return`, and `system_state` guards.
 */
import type { SyntaxNode } from '../parse/backend';
import type { Annotation, CallFact, FunctionFact, RefFact, RefKind, Value, WriteFact, WriteKind } from './types';
import { NodeText, children, declaredName, declaratorShape, listElements, namedChildren } from './nodes';
import { toValue } from './values';
import { UNBOUNDED, guardFromBound, stateBound } from './guards';

const COPY_FUNCTIONS: Record<string, WriteKind> = { memcpy: 'memcpy', memmove: 'memcpy', memset: 'memset' };
const NOT_USES = new Set(['sizeof_expression', 'alignof_expression', 'offsetof_expression', 'gnu_asm_expression']);
const NULL_NAMES = new Set(['NULL', 'nullptr']);

/** `carried`: the body's facts from an earlier parse (the body was not copied); the header is read afresh. */
export function extractFunction(def: SyntaxNode, src: NodeText, annotations: Annotation[], carried?: FunctionFact): FunctionFact | null {
  const declarator = def.childForFieldName('declarator');
  const nameNode = declaredName(declarator);
  const body = def.childForFieldName('body');
  if (!nameNode || !body) return null;
  const specifiers = children(def).filter((c) => c.type === 'storage_class_specifier').map((c) => src.text(c));
  const fact: FunctionFact = {
    name: src.text(nameNode),
    span: src.span(nameNode),
    bodySpan: src.span(body),
    isStatic: specifiers.includes('static'),
    isInline: specifiers.some((s) => s === 'inline' || s === '__inline' || s === '__inline__'),
    annotations,
    params: parameters(declarator).map((p) => nameOf(p.childForFieldName('declarator'), src)),
    calls: [],
    locals: {},
    localNames: [],
    returns: [],
    writes: [],
    refs: [],
  };
  if (carried) {
    const { calls, locals, localNames, returns, writes, refs } = carried;
    return { ...fact, calls, locals, localNames, returns, writes, refs };
  }
  const walker = new BodyWalker(fact, src);
  for (const p of parameters(declarator)) walker.declared(p.childForFieldName('type'), p.childForFieldName('declarator'));
  walker.walk(body);
  return fact;
}

function parameters(declarator: SyntaxNode | null): SyntaxNode[] {
  let d = declarator;
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator') ?? (d.type === 'parenthesized_declarator' ? d.namedChild(0) : null);
  const list = d?.childForFieldName('parameters');
  return list ? namedChildren(list).filter((p) => p.type === 'parameter_declaration') : [];
}

function nameOf(declarator: SyntaxNode | null, src: NodeText): string {
  const n = declaredName(declarator);
  return n ? src.text(n) : '';
}

function followable(args: Value[]): Value[] {
  let n = args.length;
  while (n > 0 && args[n - 1].k === 'other') n--;
  return n === args.length ? args : args.slice(0, n);
}

function pointerDepth(declarator: SyntaxNode | null): number {
  let depth = 0;
  for (let d = declarator; d; d = d.childForFieldName('declarator')) if (d.type === 'pointer_declarator') depth++;
  return depth;
}

/** `struct foo` / `union foo` / a typedef name, as a pointer declared `T *p` names it; null for other types. */
function pointedType(type: SyntaxNode | null, src: NodeText): string | null {
  if (!type) return null;
  if (type.type === 'type_identifier') return src.text(type);
  if (type.type !== 'struct_specifier' && type.type !== 'union_specifier') return null;
  const name = type.childForFieldName('name');
  return name ? `${type.type === 'union_specifier' ? 'union' : 'struct'} ${src.text(name)}` : null;
}

class BodyWalker {
  private readonly locals: Set<string>;
  /** Highest system state the code being walked can run in (from enclosing guards). */
  private bound = UNBOUNDED;

  constructor(private readonly fact: FunctionFact, private readonly src: NodeText) {
    this.locals = new Set(fact.params.filter((p) => p !== ''));
  }

  walk(body: SyntaxNode): void {
    this.visit(body, 'read');
    this.fact.localNames = [...this.locals].filter((n) => !this.fact.params.includes(n));
  }

  /** A parameter or local declared `T *name` (one level, not a function pointer): what it can point to, short of a cast. */
  private readonly pointerTypes = new Map<string, string>();

  declared(type: SyntaxNode | null, declarator: SyntaxNode | null): void {
    const name = nameOf(declarator, this.src);
    const pointed = pointedType(type, this.src);
    if (!name || !pointed) return;
    const shape = declaratorShape(declarator, this.src);
    if (!shape.isFunctionPointer && shape.arrayLength === null && pointerDepth(declarator) === 1) this.pointerTypes.set(name, pointed);
  }

  private isLocal(name: string): boolean {
    return this.locals.has(name);
  }

  private visit(node: SyntaxNode | null, ctx: RefKind): void {
    if (!node) return;
    switch (node.type) {
      case 'declaration':
        return this.declaration(node);
      case 'assignment_expression':
        return this.assignment(node);
      case 'update_expression':
        return this.write(node.childForFieldName('argument'), 'update', null, node);
      case 'call_expression':
        return this.call(node);
      case 'return_statement': {
        const value = node.namedChild(0);
        if (value && value.type !== 'comment') this.fact.returns.push(toValue(value, this.src));
        return this.visit(value, 'read');
      }
      case 'if_statement':
        return this.ifStatement(node);
      case 'while_statement':
      case 'do_statement':
      case 'for_statement':
        return this.visitChildren(node, (c) => (c === node.childForFieldName('condition') ? 'test' : 'read'));
      case 'compound_statement':
        return this.block(node);
      case 'conditional_expression':
        return this.visitChildren(node, (c) => (c === node.childForFieldName('condition') ? 'test' : ctx));
      case 'parenthesized_expression':
        return this.visitChildren(node, () => ctx);
      case 'unary_expression': {
        const op = node.childForFieldName('operator');
        return this.visit(node.childForFieldName('argument'), op && this.src.text(op) === '!' ? 'test' : 'read');
      }
      case 'binary_expression':
        return this.binary(node);
      case 'pointer_expression': {
        const op = node.child(0);
        const arg = node.childForFieldName('argument');
        return this.visit(arg, op && this.src.text(op) === '&' ? 'address' : 'read');
      }
      case 'identifier':
      case 'field_expression':
        return this.reference(node, ctx);
      default:
        if (NOT_USES.has(node.type)) return;
        return this.visitChildren(node, () => 'read');
    }
  }

  private visitChildren(node: SyntaxNode, ctxOf: (child: SyntaxNode) => RefKind): void {
    for (const c of node.namedChildren) if (c) this.visit(c, ctxOf(c));
  }

  private declaration(node: SyntaxNode): void {
    const type = node.childForFieldName('type');
    for (const d of namedChildren(node)) {
      const name = declaredName(d);
      if (!name || (d.type !== 'init_declarator' && d.type !== 'identifier' && !d.type.endsWith('_declarator'))) continue;
      const local = this.src.text(name);
      this.locals.add(local);
      this.declared(type, d.type === 'init_declarator' ? d.childForFieldName('declarator') : d);
      if (d.type === 'init_declarator') {
        const value = d.childForFieldName('value');
        if (value && value.type !== 'initializer_list') this.addLocalValue(local, toValue(value, this.src));
        // A local array of table addresses: its elements flow out through `name[i]`.
        else if (value) for (const e of listElements(value)) if (e.type !== 'initializer_pair') this.addLocalValue(`${local}[]`, toValue(e, this.src));
        this.visit(value, 'read');
      }
    }
  }

  private addLocalValue(name: string, value: Value): void {
    // Own properties only: a C local may be called `constructor` or `toString`.
    if (Object.hasOwn(this.fact.locals, name)) this.fact.locals[name].push(value);
    else this.fact.locals[name] = [value];
  }

  private assignment(node: SyntaxNode): void {
    const op = node.childForFieldName('operator');
    const right = node.childForFieldName('right');
    const plain = !op || this.src.text(op) === '=';
    this.write(node.childForFieldName('left'), plain ? 'assign' : 'update', plain ? right : null, node);
    this.visit(right, 'read');
  }

  /** Records a write to a file-scope object, or a value flowing into a local. */
  private write(target: SyntaxNode | null, kind: WriteKind, value: SyntaxNode | null, at: SyntaxNode, valueOverride?: Value): void {
    const through = target ? this.pointerTarget(target) : null;
    if (through) {
      this.fact.writes.push({
        name: '', path: through.path, kind, value: valueOverride ?? (value ? toValue(value, this.src) : null),
        span: this.src.span(at), guard: guardFromBound(this.bound), through: through.pointer,
        ...(through.pointer.k === 'name' && this.pointerTypes.has(through.pointer.name) ? { throughType: this.pointerTypes.get(through.pointer.name) } : {}),
      });
      return;
    }
    const lhs = target ? memberPath(target, this.src) : null;
    if (!lhs) {
      this.visit(target, 'read');
      return;
    }
    if (this.isLocal(lhs.root)) {
      if (kind === 'assign' && lhs.path === '' && value) this.addLocalValue(lhs.root, toValue(value, this.src));
      return;
    }
    const write: WriteFact = {
      name: lhs.root,
      path: lhs.path,
      kind,
      value: valueOverride ?? (value ? toValue(value, this.src) : null),
      span: this.src.span(at),
      guard: guardFromBound(this.bound),
    };
    this.fact.writes.push(write);
  }

  /** `*p` or `p->a.b` with `p` local: the pointer value and the member path written through it. */
  private pointerTarget(target: SyntaxNode): { pointer: Value; path: string } | null {
    let n: SyntaxNode | null = target;
    while (n?.type === 'parenthesized_expression') n = n.namedChild(0);
    if (!n) return null;
    if (n.type === 'subscript_expression') {
      // `dst[i] = ...` with `dst` a local pointer: a write into whatever `dst` points to.
      const p = n.childForFieldName('argument');
      const root = p ? memberPath(p, this.src) : null;
      return root && root.path === '' && this.isLocal(root.root) && !Object.hasOwn(this.fact.locals, `${root.root}[]`) ? { pointer: toValue(p, this.src), path: '' } : null;
    }
    if (n.type === 'pointer_expression' && n.child(0) && this.src.text(n.child(0)!) === '*') {
      const p = n.childForFieldName('argument');
      const root = p ? memberPath(p, this.src) : null;
      return root && root.path === '' && this.isLocal(root.root) ? { pointer: toValue(p, this.src), path: '' } : null;
    }
    const parts: string[] = [];
    while (n && n.type === 'field_expression') {
      const op = n.childForFieldName('operator');
      parts.unshift(this.src.text(n.childForFieldName('field')!));
      const base: SyntaxNode | null = n.childForFieldName('argument');
      if (op && this.src.text(op) === '->') {
        const root = base ? memberPath(base, this.src) : null;
        return base && root && root.path === '' && this.isLocal(root.root) ? { pointer: toValue(base, this.src), path: parts.join('.') } : null;
      }
      n = base;
    }
    return null;
  }

  private call(node: SyntaxNode): void {
    const fn = node.childForFieldName('function');
    const argList = node.childForFieldName('arguments');
    const args = argList ? namedChildren(argList).filter((a) => a.type !== 'comment') : [];
    if (fn?.type === 'identifier') {
      const name = this.src.text(fn);
      if (this.isLocal(name)) {
        this.reference(fn, 'call');
      } else {
        const call: CallFact = { name, args: followable(args.map((a) => toValue(a, this.src))), start: node.startIndex, end: node.endIndex };
        this.fact.calls.push(call);
        const copy = COPY_FUNCTIONS[name];
        if (copy && args.length >= 2 && isAddressOf(args[0], this.src)) {
          const source: Value | undefined = copy === 'memcpy' ? { k: 'deref', of: toValue(args[1], this.src) } : undefined;
          this.write(args[0].childForFieldName('argument'), copy, null, node, source ?? { k: 'other' });
          for (const a of args.slice(1)) this.visit(a, 'read');
          return;
        }
      }
    } else {
      this.visit(fn, 'call');
    }
    for (const a of args) this.visit(a, 'read');
  }

  private ifStatement(node: SyntaxNode): void {
    const cond = node.childForFieldName('condition');
    this.visit(cond, 'test');
    this.guarded(stateBound(cond, false, this.src), () => this.visit(node.childForFieldName('consequence'), 'read'));
    this.guarded(stateBound(cond, true, this.src), () => this.visit(node.childForFieldName('alternative'), 'read'));
  }

  private guarded(bound: number, body: () => void): void {
    const saved = this.bound;
    this.bound = Math.min(saved, bound);
    body();
    this.bound = saved;
  }

  /** An `if ( cond ) return;` guards the rest of its block with `!cond`. */
  private block(node: SyntaxNode): void {
    const saved = this.bound;
    for (const c of namedChildren(node)) {
      this.visit(c, 'read');
      if (c.type === 'if_statement' && !c.childForFieldName('alternative') && leavesBlock(c.childForFieldName('consequence'))) {
        this.bound = Math.min(this.bound, stateBound(c.childForFieldName('condition'), true, this.src));
      }
    }
    this.bound = saved;
  }

  private binary(node: SyntaxNode): void {
    const opNode = node.childForFieldName('operator');
    const op = opNode ? this.src.text(opNode) : '';
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (op === '&&' || op === '||') {
      this.visit(left, 'test');
      this.visit(right, 'test');
    } else if ((op === '==' || op === '!=') && (isNull(left, this.src) || isNull(right, this.src))) {
      this.visit(left, 'test');
      this.visit(right, 'test');
    } else {
      this.visit(left, 'read');
      this.visit(right, 'read');
    }
  }

  private reference(node: SyntaxNode, kind: RefKind): void {
    const ref = memberPath(node, this.src);
    if (!ref) {
      // `f()->x`, `a[i].b`: no named root, but the base may hold references.
      this.visit(node.childForFieldName('argument'), 'read');
      return;
    }
    if (this.isLocal(ref.root) || NULL_NAMES.has(ref.root)) {
      this.visitIndices(node);
      return;
    }
    const fact: RefFact = { name: ref.root, path: ref.path, kind, span: this.src.span(node) };
    this.fact.refs.push(fact);
  }

  private visitIndices(node: SyntaxNode): void {
    if (node.type === 'field_expression') this.visit(node.childForFieldName('argument'), 'read');
  }
}

/** `a`, `a.b.c` (also through `->` after the root) as root name and member path; null for anything else. */
export function memberPath(node: SyntaxNode, src: NodeText): { root: string; path: string } | null {
  const parts: string[] = [];
  let n: SyntaxNode | null = node;
  while (n) {
    if (n.type === 'parenthesized_expression') { n = n.namedChild(0); continue; }
    if (n.type === 'identifier') {
      return { root: src.text(n), path: parts.reverse().join('.') };
    }
    if (n.type !== 'field_expression') return null;
    const field = n.childForFieldName('field');
    if (!field) return null;
    parts.push(src.text(field));
    n = n.childForFieldName('argument');
  }
  return null;
}

function isAddressOf(node: SyntaxNode, src: NodeText): boolean {
  const op = node.type === 'pointer_expression' ? node.child(0) : null;
  return op !== null && src.text(op) === '&';
}

function isNull(node: SyntaxNode | null, src: NodeText): boolean {
  return node !== null && toValue(node, src).k === 'null';
}

function leavesBlock(stmt: SyntaxNode | null): boolean {
  if (!stmt) return false;
  if (stmt.type === 'return_statement' || stmt.type === 'goto_statement' || stmt.type === 'break_statement' || stmt.type === 'continue_statement') return true;
  if (stmt.type !== 'compound_statement') return false;
  const last = stmt.namedChild(stmt.namedChildCount - 1);
  return leavesBlock(last);
}
