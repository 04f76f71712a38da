/**
 * Preloaded into the benchmarked CLI with `node --require`: at exit, writes the
 * process's peak resident set size (KiB, from getrusage, so worker threads
 * are included) to file descriptor 3, which the bench opens as a pipe. Same
 * figure as `/usr/bin/time -v`'s "Maximum resident set size", without
 * needing GNU time.
 */
import * as fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

// Workers inherit the preload; the main thread exits last and speaks for the whole process.
if (isMainThread) {
  process.on('exit', () => {
    try {
      fs.writeSync(3, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      // Run by hand, without the bench's pipe: nobody to tell.
    }
  });
}
