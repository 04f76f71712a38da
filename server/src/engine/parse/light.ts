/**
 * Copies a tree-sitter tree into plain JavaScript objects in one cursor
 * walk. Reading nodes through the native addon costs a crossing per
 * property (five times the cursor walk over Xen); the extractors read each
 * node several times, so they work on this copy and the real tree can be
 * freed at once.
 */
import type { Point, SyntaxNode, SyntaxTree } from './backend';

interface Cursor {
  readonly nodeType: string;
  readonly nodeTypeId: number;
  readonly currentFieldId: number | null | undefined;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly currentFieldName: string | null | undefined;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete?(): void;
}

/** Maps offsets to positions; the copy does not read them from the tree. */
export type Positions = (offset: number) => Point;

/**
 * Names of node types and fields by id, filled as they are met: reading a
 * number through the addon is cheap, creating a string is not. One per
 * language (ids are the grammar's).
 */
export class Symbols {
  readonly types: string[] = [];
  readonly named: boolean[] = [];
  readonly fields: Array<string | null> = [];
  /** Anonymous tokens that never fill a field (punctuation, keywords): the extractors never read them. */
  readonly unread: boolean[] = [];
  /**
   * Types whose bounds are read, not derived from their children: a
   * directive's closing newline and some tokens in ERROR nodes are hidden
   * from the cursor but inside the node.
   */
  readonly ownBounds: boolean[] = [];

  /** `fieldTokens`: the anonymous node types the grammar ever puts in a field (operators). */
  constructor(private readonly fieldTokens: ReadonlySet<string>) {}

  learn(id: number, type: string, named: boolean): void {
    this.types[id] = type;
    this.named[id] = named;
    this.unread[id] = !named && !this.fieldTokens.has(type);
    this.ownBounds[id] = type === 'ERROR' || type.startsWith('preproc_');
  }
}

/** Anonymous node types that some field of the grammar can hold, from its node-types.json. */
export function fieldTokens(nodeTypes: ReadonlyArray<{ fields?: Record<string, { types: Array<{ type: string; named: boolean }> }> }>): Set<string> {
  const out = new Set<string>();
  for (const t of nodeTypes) for (const f of Object.values(t.fields ?? {})) for (const x of f.types) if (!x.named) out.add(x.type);
  return out;
}

export class LightNode implements SyntaxNode {
  parent: LightNode | null = null;
  /** Leaves (most nodes) share one empty list; a node gets its own on its first child. */
  children: LightNode[] = NO_CHILDREN;
  /** Field name of each child, parallel to `children` (shared empty list while no child has a field). */
  fields: Array<string | null> = NO_FIELDS;
  hasError: boolean;
  /** Set by the copy once known (a parent's bounds come from its first and last children). */
  startIndex = -1;
  endIndex = -1;
  /** A function body the copy did not go into (see `lightTree`'s `reuse`): its children are not there. */
  opaque = false;
  private named: LightNode[] | null = null;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    public isMissing: boolean,
    private readonly positions: Positions,
  ) {
    this.hasError = type === 'ERROR' || isMissing;
  }

  get startPosition(): Point { return this.positions(this.startIndex); }
  get endPosition(): Point { return this.positions(this.endIndex); }
  get childCount(): number { return this.children.length; }
  get namedChildren(): LightNode[] { return (this.named ??= this.children.filter((c) => c.isNamed)); }
  get namedChildCount(): number { return this.namedChildren.length; }
  child(i: number): LightNode | null { return this.children[i] ?? null; }
  namedChild(i: number): LightNode | null { return this.namedChildren[i] ?? null; }
  childForFieldName(name: string): LightNode | null {
    const i = this.fields.indexOf(name);
    return i < 0 ? null : this.children[i];
  }
}

/**
 * The copy leaves out anonymous tokens that fill no field (a third of all
 * nodes: parentheses, commas, keywords), and reads bounds only where they
 * cannot be derived: a node starts where its first child starts and ends
 * where its last child ends. Every crossing saved counts (about 90 ns each).
 * A MISSING token is kept whatever its type, so that errors are seen.
 */
export function lightTree(tree: SyntaxTree, positions: Positions, symbols: Symbols, reuse?: BodyReuse): LightNode {
  const rootNode = tree.rootNode as unknown as { walk(): Cursor; hasError: boolean };
  // Without an error in the tree there is no MISSING token to look for.
  const clean = !rootNode.hasError;
  const cursor = rootNode.walk();
  const kept = (c: Cursor): LightNode | null => {
    const id = c.nodeTypeId;
    let type = symbols.types[id];
    if (type === undefined) {
      symbols.learn(id, c.nodeType, c.nodeIsNamed);
      type = symbols.types[id];
    }
    if (symbols.unread[id]) {
      if (clean || !c.nodeIsMissing) return null;
      const missing = new LightNode(type, false, true, positions);
      missing.startIndex = missing.endIndex = c.startIndex;
      return missing;
    }
    const node = new LightNode(type, symbols.named[id], false, positions);
    if (symbols.ownBounds[id]) {
      node.startIndex = c.startIndex;
      node.endIndex = c.endIndex;
    }
    return node;
  };
  const field = (c: Cursor): string | null => {
    const id = c.currentFieldId ?? 0;
    if (id === 0) return null;
    let name = symbols.fields[id];
    if (name === undefined) name = symbols.fields[id] = c.currentFieldName ?? null;
    return name;
  };
  /** Reads a kept node's bounds when it is a leaf; true when the cursor went down to its first child instead. */
  const descend = (c: Cursor, node: LightNode): boolean => {
    if (node.isMissing) return false;
    if (c.gotoFirstChild()) return true;
    node.startIndex = c.startIndex;
    node.endIndex = c.endIndex;
    // A zero-width named leaf can be a MISSING identifier.
    if (node.startIndex === node.endIndex && !clean && c.nodeIsMissing) node.isMissing = node.hasError = true;
    return false;
  };
  try {
    const root = kept(cursor)!;
    // The root alone also spans the whitespace after its last child.
    root.startIndex = cursor.startIndex;
    root.endIndex = cursor.endIndex;
    if (!cursor.gotoFirstChild()) return root;
    // Per node being filled: whether its last child seen so far was left out.
    const lastSkipped: boolean[] = [false];
    let parent = root;
    let first = true;
    for (;;) {
      const node = kept(cursor);
      if (first && node === null && parent.startIndex < 0) parent.startIndex = cursor.startIndex;
      first = false;
      lastSkipped[lastSkipped.length - 1] = node === null;
      if (node !== null) {
        const name = field(cursor);
        append(parent, node, name);
        const opaque = reuse !== undefined && name === 'body' && parent.type === 'function_definition' && opaqueBody(cursor, parent, node, reuse);
        if (!opaque && descend(cursor, node)) {
          parent = node;
          first = true;
          lastSkipped.push(false);
          continue;
        }
        if (node.hasError) parent.hasError = true;
      }
      while (!cursor.gotoNextSibling()) {
        // The cursor stays on the last child: the parent ends where it does.
        if (lastSkipped.pop() && parent.endIndex < 0) parent.endIndex = cursor.endIndex;
        finish(parent);
        cursor.gotoParent();
        if (parent === root) return root;
        parent = parent.parent!;
        lastSkipped[lastSkipped.length - 1] = false;
      }
    }
  } finally {
    cursor.delete?.();
  }
}

/**
 * Says which function bodies need not be copied: their facts are known
 * from an earlier parse. Given the function's start and its body's bounds.
 */
export type BodyReuse = (functionStart: number, bodyStart: number, bodyEnd: number) => boolean;

/** Makes `body` an opaque leaf when `reuse` wants it and nothing under it is an error; false leaves it to be copied. */
function opaqueBody(c: Cursor, fn: LightNode, body: LightNode, reuse: BodyReuse): boolean {
  if (body.type !== 'compound_statement') return false;
  const start = c.startIndex;
  const end = c.endIndex;
  // The function's earlier children are complete: its start is theirs.
  const fnStart = fn.startIndex >= 0 ? fn.startIndex : fn.children[0].startIndex;
  if (!reuse(fnStart, start, end)) return false;
  if ((c as unknown as { currentNode: { hasError: boolean } }).currentNode.hasError) return false;
  body.startIndex = start;
  body.endIndex = end;
  body.opaque = true;
  return true;
}

/** Fills in the bounds its children give and passes errors up. */
function finish(node: LightNode): void {
  const kids = node.children;
  if (node.startIndex < 0) node.startIndex = kids[0].startIndex;
  if (node.endIndex < 0) node.endIndex = kids[kids.length - 1].endIndex;
  if (node.hasError && node.parent) node.parent.hasError = true;
}

const NO_CHILDREN: LightNode[] = [];
const NO_FIELDS: Array<string | null> = [];

function append(parent: LightNode, child: LightNode, field: string | null): void {
  child.parent = parent;
  if (parent.children === NO_CHILDREN) parent.children = [];
  parent.children.push(child);
  if (field !== null && parent.fields === NO_FIELDS) parent.fields = new Array(parent.children.length - 1).fill(null);
  if (parent.fields !== NO_FIELDS) parent.fields.push(field);
}
