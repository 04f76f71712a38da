/** Reduces expression nodes to `Value`s, the vocabulary of value-flow analysis. */
import type { SyntaxNode } from '../parse/backend';
import type { Value } from './types';
import type { NodeText } from './nodes';
import { namedChildren } from './nodes';

const NULL_NAMES = new Set(['NULL', 'nullptr']);

export function toValue(node: SyntaxNode | null, src: NodeText): Value {
  if (!node) return { k: 'other' };
  switch (node.type) {
    case 'identifier': {
      const name = src.text(node);
      return NULL_NAMES.has(name) ? { k: 'null' } : { k: 'name', name };
    }
    case 'null':
      return { k: 'null' };
    case 'number_literal':
      return /^0+[uUlL]*$/.test(src.text(node)) ? { k: 'null' } : { k: 'other' };
    case 'parenthesized_expression':
      return toValue(node.namedChild(0), src);
    case 'cast_expression':
      return toValue(node.childForFieldName('value'), src);
    case 'pointer_expression': {
      const op = node.child(0);
      const of = toValue(node.childForFieldName('argument'), src);
      return op && src.text(op) === '&' ? { k: 'addr', of } : { k: 'deref', of };
    }
    case 'field_expression': {
      const operator = node.childForFieldName('operator');
      const arrow = operator !== null && src.text(operator) === '->';
      const field = src.text(node.childForFieldName('field')!);
      const base = toValue(node.childForFieldName('argument'), src);
      // Fold `a.b.c` into one path, so members read like the spec's member paths.
      if (!arrow && base.k === 'member' && !base.arrow) return { k: 'member', of: base.of, path: `${base.path}.${field}`, arrow: false };
      return { k: 'member', of: base, path: field, arrow };
    }
    case 'subscript_expression':
      return { k: 'index', of: toValue(node.childForFieldName('argument'), src) };
    case 'conditional_expression':
      return { k: 'cond', a: toValue(node.childForFieldName('consequence'), src), b: toValue(node.childForFieldName('alternative'), src) };
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      if (!fn || fn.type !== 'identifier') return { k: 'other' };
      const args = node.childForFieldName('arguments');
      return { k: 'call', fn: src.text(fn), args: args ? namedChildren(args).filter((a) => a.type !== 'comment').map((a) => toValue(a, src)) : [] };
    }
    default:
      return { k: 'other' };
  }
}
