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

export class LightNode implements SyntaxNode {
  parent: LightNode | null = null;
  readonly children: LightNode[] = [];
  /** Field name of each child, parallel to `children`. */
  readonly fields: Array<string | null> = [];
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

export function lightTree(tree: SyntaxTree, positions: Positions): LightNode {
  const cursor = (tree.rootNode as unknown as { walk(): Cursor }).walk();
  try {
    const root = node(cursor, positions);
    let current = root;
    for (;;) {
      if (cursor.gotoFirstChild()) {
        const child = node(cursor, positions);
        append(current, child, cursor.currentFieldName ?? null);
        current = child;
        continue;
      }
      for (;;) {
        // `current` and everything under it are read: its errors count for its parent.
        if (current.hasError && current.parent) current.parent.hasError = true;
        if (cursor.gotoNextSibling()) {
          const sibling = node(cursor, positions);
          append(current.parent!, sibling, cursor.currentFieldName ?? null);
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

function node(c: Cursor, positions: Positions): LightNode {
  return new LightNode(c.nodeType, c.nodeIsNamed, c.nodeIsMissing, c.startIndex, c.endIndex, positions);
}

function append(parent: LightNode, child: LightNode, field: string | null): void {
  child.parent = parent;
  parent.children.push(child);
  parent.fields.push(field);
}
