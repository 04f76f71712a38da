/**
 * One parser interface over two tree-sitter backends: the native addon
 * (fast, but its prebuild needs a recent libstdc++ and a compiler otherwise)
 * and web-tree-sitter with the grammar's own .wasm (runs everywhere).
 */
import { Symbols, fieldTokens } from './light';

export type BackendName = 'native' | 'wasm';
export type BackendChoice = BackendName | 'auto';

export interface Point { row: number; column: number; }

/** The subset of the node API both backends share; offsets are UTF-16 indices. */
export interface SyntaxNode {
  readonly type: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly childCount: number;
  readonly namedChildCount: number;
  readonly hasError: boolean;
  readonly isMissing: boolean;
  /** Set on a light copy's function body whose children were not copied (its facts were carried over). */
  readonly opaque?: boolean;
  readonly parent: SyntaxNode | null;
  /** All (named) children in one call: far fewer crossings into the native addon than child(i). */
  readonly children: ReadonlyArray<SyntaxNode | null>;
  readonly namedChildren: ReadonlyArray<SyntaxNode | null>;
  child(index: number): SyntaxNode | null;
  namedChild(index: number): SyntaxNode | null;
  childForFieldName(name: string): SyntaxNode | null;
}

export interface SyntaxTree { readonly rootNode: SyntaxNode; }

export interface InputEdit {
  startIndex: number; oldEndIndex: number; newEndIndex: number;
  startPosition: Point; oldEndPosition: Point; newEndPosition: Point;
}

export interface CParser {
  readonly backend: BackendName;
  /** Node type and field names by id, for `lightTree`. */
  readonly symbols: Symbols;
  /** Parses `text`; with `old` (already `edit`ed) the parse is incremental. */
  parse(text: string, old?: SyntaxTree): SyntaxTree;
  /** Like `parse`, but gives up after `deadlineMs` (null then): one pathological file must not stall the analysis. */
  parseWithin(text: string, deadlineMs: number, old?: SyntaxTree): SyntaxTree | null;
  /** Records an edit on a tree before an incremental re-parse. */
  edit(tree: SyntaxTree, edit: InputEdit): void;
  /** Releases a tree's memory now (wasm) or drops it for the GC (native, which has no explicit free). */
  free(tree: SyntaxTree): void;
}

export type Logger = (message: string) => void;

/** Loads the requested backend; 'auto' tries native first and says which one it got. */
export async function createParser(choice: BackendChoice = 'auto', log: Logger = () => {}): Promise<CParser> {
  if (choice !== 'wasm') {
    try {
      const parser = loadNative();
      log(`parser: native tree-sitter`);
      return parser;
    } catch (err) {
      if (choice === 'native') throw new Error(`the native tree-sitter parser does not load: ${(err as Error).message}`);
      log(`parser: native tree-sitter does not load (${firstLine((err as Error).message)}); using web-tree-sitter (wasm)`);
    }
  }
  const parser = await loadWasm();
  if (choice === 'wasm') log('parser: web-tree-sitter (wasm), as configured');
  return parser;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

function loadNative(): CParser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Parser = require('tree-sitter');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const C = require('tree-sitter-c');
  const parser = new Parser();
  parser.setLanguage(C);
  return {
    backend: 'native',
    symbols: grammarSymbols(),
    parse: (text, old) => parser.parse(text, old),
    parseWithin: (text, deadlineMs, old) => parser.parse(text, old, { progressCallback: pastDeadline(deadlineMs) }) ?? null,
    edit: (tree, e) => (tree as unknown as { edit(e: InputEdit): void }).edit(e),
    free: () => {},
  };
}

let wasmLanguage: Promise<{ Parser: any; language: unknown }> | undefined;

async function loadWasm(): Promise<CParser> {
  wasmLanguage ??= (async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Parser, Language } = require('web-tree-sitter');
    await Parser.init();
    const language = await Language.load(require.resolve('tree-sitter-c/tree-sitter-c.wasm'));
    return { Parser, language };
  })();
  const { Parser, language } = await wasmLanguage;
  const parser = new Parser();
  parser.setLanguage(language);
  return {
    backend: 'wasm',
    symbols: grammarSymbols(),
    parse: (text, old) => parser.parse(text, old ?? null),
    parseWithin: (text, deadlineMs, old) => parser.parse(text, old ?? null, { progressCallback: pastDeadline(deadlineMs) }) ?? null,
    edit: (tree, e) => (tree as unknown as { edit(e: InputEdit): void }).edit(e),
    free: (tree) => (tree as unknown as { delete(): void }).delete(),
  };
}

function grammarSymbols(): Symbols {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return new Symbols(fieldTokens(require('tree-sitter-c/src/node-types.json')));
}

/** Cancels a parse from tree-sitter's progress callback once `deadlineMs` has passed (the parse then gives no tree). */
function pastDeadline(deadlineMs: number): () => boolean {
  const end = performance.now() + deadlineMs;
  return () => performance.now() > end;
}
