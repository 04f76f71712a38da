import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** One instruction line of `objdump -d` output. */
export interface DumpLine { address: bigint; length: number; text: string }

export type Syntax = 'att' | 'intel';

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) {
    throw new Error(`GNU binutils are needed by the x86 oracle tests: cannot run '${cmd}' (${r.error.message}). `
      + 'Install binutils (e.g. apt-get install binutils).');
  }
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86-oracle-'));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails with a clear message when `as` or `objdump` is missing. */
export function requireBinutils(): void {
  run('as', ['--version']);
  run('objdump', ['--version']);
  run('objcopy', ['--version']);
}

const LINE = /^\s*([0-9a-f]+):\t([0-9a-f ]+)\t(.*)$/;

function parseDump(out: string): DumpLine[] {
  const lines: DumpLine[] = [];
  for (const raw of out.split('\n')) {
    const m = LINE.exec(raw);
    if (!m) continue;
    lines.push({
      address: BigInt(`0x${m[1]}`),
      length: m[2]!.trim().split(/\s+/).length,
      text: m[3]!.trimEnd(),
    });
  }
  return lines;
}

function objdumpArgs(mode: '-d' | '-D', vma: bigint, syntax: Syntax): string[] {
  const args = [mode, '-z', '--insn-width=16', `--adjust-vma=0x${vma.toString(16)}`];
  if (syntax === 'intel') args.push('-M', 'intel');
  return args;
}

/** Disassembles raw bytes placed at `vma`, with no symbol table. */
export function objdumpRaw(bytes: Uint8Array, vma: bigint, syntax: Syntax): DumpLine[] {
  return withTempDir((dir) => {
    const file = path.join(dir, 'code.bin');
    fs.writeFileSync(file, bytes);
    return parseDump(run('objdump', [...objdumpArgs('-D', vma, syntax), '-b', 'binary', '-m', 'i386:x86-64', file]));
  });
}

function byteDirectives(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    lines.push(`.byte ${Array.from(bytes.subarray(i, i + 16), (b) => `0x${b.toString(16)}`).join(',')}`);
  }
  return lines.join('\n');
}

/** Assembles gas source (64-bit) and returns the bytes of its .text. */
export function assemble(source: string): Uint8Array {
  return withTempDir((dir) => {
    const src = path.join(dir, 'code.s');
    const obj = path.join(dir, 'code.o');
    const bin = path.join(dir, 'code.bin');
    fs.writeFileSync(src, `.text\n${source}\n`);
    run('as', ['--64', '-o', obj, src]);
    run('objcopy', ['-O', 'binary', '-j', '.text', obj, bin]);
    return new Uint8Array(fs.readFileSync(bin));
  });
}

/**
 * Assembles raw bytes with `as` behind a symbol `foo` at `vma` and disassembles
 * them, so that objdump names every address relative to `foo`.
 */
export function objdumpWithSymbol(bytes: Uint8Array, vma: bigint, syntax: Syntax): DumpLine[] {
  return withTempDir((dir) => {
    const src = path.join(dir, 'code.s');
    const obj = path.join(dir, 'code.o');
    fs.writeFileSync(src, `.text\nfoo:\n${byteDirectives(bytes)}\n`);
    run('as', ['--64', '-o', obj, src]);
    return parseDump(run('objdump', [...objdumpArgs('-d', vma, syntax), obj]));
  });
}
