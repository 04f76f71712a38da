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
}

export class LightNode implements SyntaxNode {
  parent: LightNode | null = null;
  /** Leaves (most nodes) share one empty list; a node gets its own on its first child. */
  children: LightNode[] = NO_CHILDREN;
  /** Field name of each child, parallel to `children` (shared empty list while no child has a field). */
  fields: Array<string | null> = NO_FIELDS;
  hasError: boolean;
  private named: LightNode[] | null = null;

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly isMissing: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
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

export function lightTree(tree: SyntaxTree, positions: Positions, symbols: Symbols): LightNode {
  const cursor = (tree.rootNode as unknown as { walk(): Cursor }).walk();
  const node = (c: Cursor): LightNode => {
    const id = c.nodeTypeId;
    let type = symbols.types[id];
    if (type === undefined) {
      type = symbols.types[id] = c.nodeType;
      symbols.named[id] = c.nodeIsNamed;
    }
    const start = c.startIndex;
    const end = c.endIndex;
    // Only zero-width nodes can be MISSING ones: ask the addon about those alone.
    return new LightNode(type, symbols.named[id], start === end && c.nodeIsMissing, start, end, positions);
  };
  const field = (c: Cursor): string | null => {
    const id = c.currentFieldId ?? 0;
    if (id === 0) return null;
    let name = symbols.fields[id];
    if (name === undefined) name = symbols.fields[id] = c.currentFieldName ?? null;
    return name;
  };
  try {
    const root = node(cursor);
    let current = root;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        const child = node(cursor);
        append(current, child, field(cursor));
        current = child;
        continue;
      }
      for (;;) {
        // `current` and everything under it are read: its errors count for its parent.
        if (current.hasError && current.parent) current.parent.hasError = true;
        if (cursor.gotoNextSibling()) {
          const sibling = node(cursor);
          append(current.parent!, sibling, field(cursor));
          current = sibling;
          break;
        }
        if (!cursor.gotoParent()) return root;
        current = current.parent!;
      }
    }
  } finally {
    cursor.delete?.();
  }
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
