/** Identifiers that read like hypervisor code, unique across the generated tree. */
import type { Rng } from './rng';

const NOUNS = [
  'vcpu', 'domain', 'page', 'irq', 'timer', 'sched', 'mem', 'pci', 'acpi', 'msr', 'cpu', 'lapic',
  'evtchn', 'grant', 'p2m', 'mmu', 'hap', 'shadow', 'vmcs', 'tlb', 'cache', 'event', 'port',
  'ring', 'buf', 'queue', 'lock', 'node', 'entry', 'table', 'map', 'list', 'hash', 'state', 'ctxt',
  'info', 'desc', 'req', 'resp', 'flags', 'mask', 'count', 'idx', 'base', 'limit', 'addr', 'size',
  'len', 'offset', 'gfn', 'mfn', 'pfn', 'frame', 'segment', 'vector', 'pin', 'bus', 'dev', 'func',
  'bar', 'cap', 'feature', 'policy', 'quota', 'credit', 'unit', 'socket', 'core', 'thread', 'zone',
  'heap', 'pool', 'slot', 'region', 'window', 'fault', 'trap', 'stack', 'guest', 'host', 'console',
  'serial', 'uart', 'hpet', 'tsc', 'rtc', 'ioapic', 'msi', 'intr', 'remap', 'iotlb', 'ept', 'npt',
  'vmexit', 'hypercall', 'xenstore', 'sysctl', 'domctl', 'stats', 'trace', 'perf', 'watchdog',
];

const VERBS = [
  'init', 'setup', 'alloc', 'free', 'get', 'put', 'set', 'clear', 'update', 'flush', 'map', 'unmap',
  'lookup', 'insert', 'remove', 'check', 'validate', 'handle', 'dump', 'parse', 'probe', 'enable',
  'disable', 'save', 'restore', 'copy', 'reset', 'sync', 'walk', 'scan', 'find', 'add', 'del',
  'read', 'write', 'inject', 'deliver', 'route', 'bind', 'unbind', 'claim', 'release', 'grow',
  'shrink', 'split', 'merge', 'track', 'audit', 'account', 'translate', 'emulate', 'resume', 'pause',
];

const ADJECTIVES = [
  'pending', 'active', 'dirty', 'shared', 'local', 'remote', 'global', 'max', 'min', 'next', 'prev',
  'first', 'last', 'nr', 'raw', 'hw', 'sw', 'virt', 'phys', 'early', 'late', 'fast', 'slow', 'big',
  'small', 'new', 'old', 'cur', 'saved', 'default', 'extra', 'spare', 'fixed', 'legacy',
];

const FILLER_WORDS = ['the', 'a', 'of', 'to', 'when', 'if', 'before', 'after', 'is', 'are', 'must', 'may', 'not', 'only', 'so', 'with', 'for', 'each', 'this', 'that'];

export class Namer {
  private readonly taken = new Set<string>();

  constructor(private readonly rng: Rng) {}

  /** Claims a fixed name so that nothing generated later takes it. */
  reserve(name: string): string {
    this.taken.add(name);
    return name;
  }

  /** `base` itself, or `base` with the first free numeric suffix. */
  unique(base: string): string {
    let name = base;
    for (let n = 2; this.taken.has(name); n++) name = `${base}${n}`;
    return this.reserve(name);
  }

  noun(): string { return this.rng.pick(NOUNS); }
  verb(): string { return this.rng.pick(VERBS); }

  function(prefix?: string): string {
    const parts = [prefix ?? this.noun(), ...(this.rng.chance(0.4) ? [this.noun()] : []), this.verb()];
    return this.unique(parts.join('_'));
  }

  variable(): string {
    return this.rng.chance(0.5) ? `${this.rng.pick(ADJECTIVES)}_${this.noun()}` : this.noun();
  }

  type(): string {
    return this.unique(this.rng.chance(0.5) ? `${this.noun()}_${this.noun()}` : `${this.rng.pick(ADJECTIVES)}_${this.noun()}`);
  }

  constant(prefix: string): string {
    return this.unique(`${prefix}_${this.rng.pick(ADJECTIVES)}_${this.noun()}`.toUpperCase());
  }

  /** A comment's worth of plausible words. */
  sentence(min = 6, max = 16): string {
    const n = this.rng.int(min, max);
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      const pool = this.rng.pick([NOUNS, VERBS, ADJECTIVES, FILLER_WORDS, FILLER_WORDS]);
      words.push(this.rng.pick(pool));
    }
    const text = words.join(' ');
    return `${text[0].toUpperCase()}${text.slice(1)}.`;
  }
}
