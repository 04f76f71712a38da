/**
 * Strict JSON with the offset of every value and key, so that a config
 * mistake can be reported at its line and column. JSON.parse cannot do this:
 * V8's messages often carry no position at all.
 */

export type JsonNode =
  | { kind: 'object'; offset: number; entries: JsonEntry[] }
  | { kind: 'array'; offset: number; items: JsonNode[] }
  | { kind: 'string'; offset: number; value: string }
  | { kind: 'number'; offset: number; value: number }
  | { kind: 'boolean'; offset: number; value: boolean }
  | { kind: 'null'; offset: number };

export interface JsonEntry { key: string; keyOffset: number; value: JsonNode; }

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(message);
  }
}

/** Throws JsonSyntaxError. A leading BOM is skipped (offsets still count it). */
export function parseJson(text: string): JsonNode {
  const p = new Parser(text);
  p.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  p.space();
  if (p.pos >= text.length) throw new JsonSyntaxError('the file is empty: expected a JSON object', p.pos);
  const node = p.value();
  p.space();
  if (p.pos < text.length) throw new JsonSyntaxError(`unexpected ${p.describe()} after the end of the JSON value`, p.pos);
  return node;
}

/** The plain value of a node, as JSON.parse would give it. */
export function plain(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
    case 'array': return node.items.map(plain);
    case 'null': return null;
    default: return node.value;
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class Parser {
  pos = 0;

  constructor(private readonly text: string) {}

  space(): void {
    while (this.pos < this.text.length && ' \t\n\r'.includes(this.text[this.pos])) this.pos++;
    // Comments are the commonest way people break a JSON config: say so plainly.
    if (this.text.startsWith('//', this.pos) || this.text.startsWith('/*', this.pos)) {
      throw new JsonSyntaxError('comments are not allowed in JSON', this.pos);
    }
  }

  describe(): string {
    if (this.pos >= this.text.length) return 'end of file';
    return `'${String.fromCodePoint(this.text.codePointAt(this.pos)!)}'`;
  }

  value(): JsonNode {
    const offset = this.pos;
    const c = this.text[this.pos];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { kind: 'string', offset, value: this.string() };
    for (const [word, node] of [['true', { kind: 'boolean', offset, value: true }], ['false', { kind: 'boolean', offset, value: false }], ['null', { kind: 'null', offset }]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return node;
      }
    }
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m) {
      this.pos += m[0].length;
      return { kind: 'number', offset, value: Number(m[0]) };
    }
    if (c === "'") throw new JsonSyntaxError('strings must be in double quotes', offset);
    throw new JsonSyntaxError(`expected a value, found ${this.describe()}`, offset);
  }

  private object(): JsonNode {
    const offset = this.pos++;
    const entries: JsonEntry[] = [];
    const seen = new Set<string>();
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', offset, entries };
    }
    for (;;) {
      const keyOffset = this.pos;
      if (this.text[this.pos] !== '"') throw new JsonSyntaxError(`expected a property name in double quotes, found ${this.describe()}`, this.pos);
      const key = this.string();
      if (seen.has(key)) throw new JsonSyntaxError(`duplicate key '${key}'`, keyOffset);
      seen.add(key);
      this.space();
      this.expect(':', `after the property name '${key}'`);
      this.space();
      entries.push({ key, keyOffset, value: this.value() });
      this.space();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return { kind: 'object', offset, entries };
      }
      this.expect(',', `or '}' after the value of '${key}'`);
      this.space();
      if (this.text[this.pos] === '}') throw new JsonSyntaxError("trailing comma before '}'", this.pos - 1);
    }
  }

  private array(): JsonNode {
    const offset = this.pos++;
    const items: JsonNode[] = [];
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', offset, items };
    }
    for (;;) {
      items.push(this.value());
      this.space();
      if (this.text[this.pos] === ']') {
        this.pos++;
        return { kind: 'array', offset, items };
      }
      this.expect(',', "or ']' after an array element");
      this.space();
      if (this.text[this.pos] === ']') throw new JsonSyntaxError("trailing comma before ']'", this.pos - 1);
    }
  }

  private expect(c: string, where: string): void {
    if (this.text[this.pos] !== c) throw new JsonSyntaxError(`expected '${c}' ${where}, found ${this.describe()}`, this.pos);
    this.pos++;
  }

  private string(): string {
    const start = this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) throw new JsonSyntaxError('unterminated string', start);
      const c = this.text[this.pos];
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c < ' ') throw new JsonSyntaxError('control character in a string (write it as an escape such as \\n)', this.pos);
      if (c !== '\\') {
        out += c;
        this.pos++;
        continue;
      }
      const e = this.text[this.pos + 1];
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
        out += String.fromCharCode(parseInt(this.text.slice(this.pos + 2, this.pos + 6), 16));
        this.pos += 6;
      } else if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
        this.pos += 2;
      } else {
        throw new JsonSyntaxError('invalid escape sequence in a string', this.pos);
      }
    }
  }
}
