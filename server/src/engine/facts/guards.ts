/**
 * What a `system_state` check proves about when guarded code runs. Xen's
 * states in boot order; alternatives are applied during SYS_STATE_smp_boot,
 * so only a bound below it proves a write happens before patching.
 */
import type { SyntaxNode } from '../parse/backend';
import type { Guard } from './types';
import type { NodeText } from './nodes';

const STATES: Record<string, number> = {
  SYS_STATE_early_boot: 0,
  SYS_STATE_boot: 1,
  SYS_STATE_smp_boot: 2,
  SYS_STATE_active: 3,
  SYS_STATE_suspend: 4,
  SYS_STATE_resume: 5,
};
const PATCH_STATE = STATES.SYS_STATE_smp_boot;
const ACTIVE_STATE = STATES.SYS_STATE_active;
export const UNBOUNDED = Number.POSITIVE_INFINITY;

const INVERT: Record<string, string> = { '<': '>=', '>=': '<', '<=': '>', '>': '<=', '==': '!=', '!=': '==' };
const MIRROR: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=', '==': '==', '!=': '!=' };

/** The highest system state in which `cond` (or its negation) can hold; UNBOUNDED when it says nothing. */
export function stateBound(cond: SyntaxNode | null, negate: boolean, src: NodeText): number {
  if (!cond) return UNBOUNDED;
  switch (cond.type) {
    case 'parenthesized_expression':
      return stateBound(cond.namedChild(0), negate, src);
    case 'unary_expression': {
      const op = cond.childForFieldName('operator');
      return op && src.text(op) === '!' ? stateBound(cond.childForFieldName('argument'), !negate, src) : UNBOUNDED;
    }
    case 'binary_expression': {
      const opNode = cond.childForFieldName('operator');
      const op = opNode ? src.text(opNode) : '';
      const left = cond.childForFieldName('left');
      const right = cond.childForFieldName('right');
      const conj = op === '&&' ? !negate : op === '||' ? negate : null;
      if (conj !== null) {
        const a = stateBound(left, negate, src);
        const b = stateBound(right, negate, src);
        return conj ? Math.min(a, b) : Math.max(a, b);
      }
      if (!(op in INVERT) || !left || !right) return UNBOUNDED;
      let rel = op;
      let other = right;
      if (src.text(left) !== 'system_state') {
        if (src.text(right) !== 'system_state') return UNBOUNDED;
        rel = MIRROR[op];
        other = left;
      }
      const state = STATES[src.text(other)];
      if (state === undefined) return UNBOUNDED;
      if (negate) rel = INVERT[rel];
      if (rel === '<') return state - 1;
      if (rel === '<=' || rel === '==') return state;
      return UNBOUNDED;
    }
    default:
      return UNBOUNDED;
  }
}

export function guardFromBound(bound: number): Guard | null {
  if (bound < PATCH_STATE) return 'before-patch';
  if (bound < ACTIVE_STATE) return 'boot-only';
  return null;
}
