import * as fs from 'node:fs';
import * as path from 'node:path';

/** The bundled example tree, whose attribute and generic alternative-call headers the generated tree shares. */
const EXAMPLE_TREE = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'xen');

function fromExample(rel: string): [string, string] {
  return [rel, fs.readFileSync(path.join(EXAMPLE_TREE, rel), 'utf8')];
}

/**
 * The fixed headers every generated file leans on: attribute macros, basic
 * types and helpers, and the alternative-call machinery (a generic fallback
 * and an x86 version with numbered forms chosen by `count_args`). The first
 * and the generic one are the example tree's own; the others are written for
 * this generator in the shape the engine has to understand.
 */
export const BASE_HEADERS: ReadonlyMap<string, string> = new Map([
  fromExample('xen/include/xen/init.h'),
  ['xen/include/xen/lib.h', `#ifndef XEN_LIB_H
#define XEN_LIB_H

typedef unsigned char       uint8_t;
typedef unsigned short      uint16_t;
typedef unsigned int        uint32_t;
typedef unsigned long       uint64_t;
typedef unsigned long       paddr_t;
typedef _Bool               bool;
#define true                1
#define false               0
#define NULL                ((void *)0)

#define EPERM               1
#define ENOENT              2
#define ENOMEM              12
#define EBUSY               16
#define ENODEV              19
#define EINVAL              22
#define EOPNOTSUPP          95

/* Constants shared with assembly: the C type suffix is pasted on only here. */
#define __AC(X, Y)          (X ## Y)
#define _AC(X, Y)           __AC(X, Y)
#define BIT(nr)             (_AC(1, UL) << (nr))

#define PAGE_SHIFT          12
#define PAGE_SIZE           (_AC(1, UL) << PAGE_SHIFT)

#define XENLOG_ERR          "<0>"
#define XENLOG_WARNING      "<1>"
#define XENLOG_INFO         "<2>"
#define XENLOG_DEBUG        "<3>"

struct domain;
struct vcpu;
struct cpu_user_regs;

typedef struct { int raw; } spinlock_t;
#define DEFINE_SPINLOCK(l)          spinlock_t l = { 0 }
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) per_cpu__##name
#define DEFINE_PER_CPU(type, name)  __typeof__(type) per_cpu__##name

#define boolean_param(name, var)    static const char __param_##var[] = name
#define integer_param(name, var)    static const char __param_##var[] = name

#define NR_CPUS             64
#define for_each_online_cpu(cpu) \\
    for ( (cpu) = 0; (cpu) < NR_CPUS; (cpu)++ )
#define list_for_each_entry(pos, head, member) \\
    for ( (pos) = (void *)(head)->next; (pos) != NULL; (pos) = (void *)(pos)->member.next )

#define likely(x)           __builtin_expect(!!(x), 1)
#define unlikely(x)         __builtin_expect(!!(x), 0)

/* How many arguments were given, 0 to 6: selects a numbered call form. */
#define count_args_(dot, a1, a2, a3, a4, a5, a6, n, ...) n
#define count_args(args...) count_args_(., ## args, 6, 5, 4, 3, 2, 1, 0)

void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
int printk(const char *fmt, ...);
noreturn void panic(const char *fmt, ...);
void *memcpy(void *dst, const void *src, unsigned long n);

#define BUG_ON(p)   do { if ( unlikely(p) ) panic("BUG at %s:%d", __FILE__, __LINE__); } while ( 0 )
#define ASSERT(p)   BUG_ON(!(p))

enum system_state {
    SYS_STATE_early_boot,
    SYS_STATE_boot,
    SYS_STATE_smp_boot,
    SYS_STATE_active,
};
extern enum system_state system_state;

#endif /* XEN_LIB_H */
`],
  fromExample('xen/include/xen/alternative-call.h'),
  ['xen/arch/x86/include/asm/alternative-call.h', `#ifndef ASM_ALTERNATIVE_CALL_H
#define ASM_ALTERNATIVE_CALL_H

#include <xen/lib.h>

/*
 * Each form emits an indirect call through the pointer's memory slot and
 * records the call's address so that boot code can rewrite it.
 */
#define ALT_CALL_SITE_(ret, func, call) ({                                \\
    ret r_;                                                               \\
    asm volatile ( "1: call *%c[slot](%%rip)\\n\\t"                          \\
                   ".pushsection .alt_call_sites, \\"a\\", @progbits\\n\\t"   \\
                   ".long 1b - .\\n\\t"                                      \\
                   ".popsection"                                          \\
                   : "=a" (r_) : [slot] "i" (&(func)) : "memory" );       \\
    (void)sizeof(call);                                                   \\
    r_;                                                                   \\
})

#define alternative_call0(f)                ALT_CALL_SITE_(typeof(f()), f, f())
#define alternative_call1(f, a)             ALT_CALL_SITE_(typeof(f(a)), f, f(a))
#define alternative_call2(f, a, b)          ALT_CALL_SITE_(typeof(f(a, b)), f, f(a, b))
#define alternative_call3(f, a, b, c)       ALT_CALL_SITE_(typeof(f(a, b, c)), f, f(a, b, c))
#define alternative_call4(f, a, b, c, d)    ALT_CALL_SITE_(typeof(f(a, b, c, d)), f, f(a, b, c, d))

#define alternative_vcall0(f)               ((void)ALT_CALL_SITE_(long, f, f()))
#define alternative_vcall1(f, a)            ((void)ALT_CALL_SITE_(long, f, f(a)))
#define alternative_vcall2(f, a, b)         ((void)ALT_CALL_SITE_(long, f, f(a, b)))
#define alternative_vcall3(f, a, b, c)      ((void)ALT_CALL_SITE_(long, f, f(a, b, c)))
#define alternative_vcall4(f, a, b, c, d)   ((void)ALT_CALL_SITE_(long, f, f(a, b, c, d)))

/* Two steps, so that count_args() is expanded before the paste. */
#define alt_call_nr__(nr)   alternative_call ## nr
#define alt_vcall_nr__(nr)  alternative_vcall ## nr
#define alt_call_nr_(nr)    alt_call_nr__(nr)
#define alt_vcall_nr_(nr)   alt_vcall_nr__(nr)

#define alternative_call(func, args...) \\
    alt_call_nr_(count_args(args))(func, ## args)
#define alternative_vcall(func, args...) \\
    alt_vcall_nr_(count_args(args))(func, ## args)

#endif /* ASM_ALTERNATIVE_CALL_H */
`],
]);
