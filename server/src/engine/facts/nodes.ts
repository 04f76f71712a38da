/** Small helpers over syntax nodes, shared by the fact extractors. */
import type { SyntaxNode } from '../parse/backend';
import type { Span } from './types';
import type { LineIndex } from '../util/lines';

/** Node text and spans against the original (unblanked) source. */
export class NodeText {
  constructor(readonly source: string, private readonly lines: LineIndex) {}
  text(node: SyntaxNode): string {
    return this.source.slice(node.startIndex, node.endIndex);
  }
  span(node: SyntaxNode): Span {
    return this.lines.span(node.startIndex, node.endIndex);
  }
}

export function namedChildren(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null);
}

export function children(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((c): c is SyntaxNode => c !== null);
}

const PREPROC_BRANCHES = new Set(['preproc_if', 'preproc_ifdef', 'preproc_else', 'preproc_elif', 'preproc_elifdef']);

/** Items of an initialiser list, looking into `#if` branches (every branch the configuration left). */
export function listElements(list: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const c of namedChildren(list)) {
    if (c.type === 'comment') continue;
    if (PREPROC_BRANCHES.has(c.type)) {
      const skip = new Set([c.childForFieldName('condition'), c.childForFieldName('name')].filter((n) => n !== null).map((n) => n!.startIndex));
      for (const inner of listElements(c)) if (!skip.has(inner.startIndex) || PREPROC_BRANCHES.has(inner.type)) out.push(inner);
      continue;
    }
    out.push(c);
  }
  return out;
}

/** The identifier a declarator declares, looking through pointers, arrays, functions and parentheses. */
export function declaredName(declarator: SyntaxNode | null): SyntaxNode | null {
  let d = declarator;
  while (d) {
    switch (d.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return d;
      case 'init_declarator':
      case 'pointer_declarator':
      case 'array_declarator':
      case 'function_declarator':
      case 'attributed_declarator':
        d = d.childForFieldName('declarator') ?? d.namedChild(0);
        break;
      case 'parenthesized_declarator':
        d = d.namedChild(0);
        break;
      default:
        return null;
    }
  }
  return null;
}

/** Shape of a declarator: pointer, function pointer, array (with its length text), function. */
export function declaratorShape(declarator: SyntaxNode | null, src: NodeText): { isPointer: boolean; isFunctionPointer: boolean; arrayLength: string | null; isFunction: boolean } {
  // Declarator kinds from the outside in: `int *f(void)` is pointer > function,
  // `int (*f)(void)` is function > parenthesized > pointer.
  const chain: string[] = [];
  let arrayLength: string | null = null;
  let d = declarator;
  while (d && d.type !== 'identifier' && d.type !== 'field_identifier' && d.type !== 'type_identifier') {
    if (d.type === 'parenthesized_declarator' || d.type === 'attributed_declarator') { d = d.namedChild(0); continue; }
    if (d.type === 'array_declarator' && arrayLength === null) {
      const size = d.childForFieldName('size');
      arrayLength = size ? src.text(size) : '';
    }
    if (d.type !== 'init_declarator') chain.push(d.type);
    const next = d.childForFieldName('declarator');
    if (!next) break;
    d = next;
  }
  const isFunction = chain[chain.length - 1] === 'function_declarator';
  const fn = chain.indexOf('function_declarator');
  const isFunctionPointer = !isFunction && fn >= 0 && chain.indexOf('pointer_declarator', fn) > fn;
  return { isPointer: chain.includes('pointer_declarator'), isFunctionPointer, arrayLength, isFunction };
}
