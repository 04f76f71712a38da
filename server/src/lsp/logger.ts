/**
 * The server's only way to say things: stdout carries JSON-RPC, so every
 * message goes to the client as `window/logMessage`, filtered by level.
 */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** The part of the connection's remote console the logger uses. */
export interface LogSink {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  log(message: string): void;
}

export class Logger {
  level: LogLevel = 'info';

  constructor(private readonly sink: LogSink) {}

  enabled(level: LogLevel): boolean {
    return RANK[level] <= RANK[this.level];
  }

  /** An error with the exception's message; its stack only at debug level, where someone is looking for it. */
  error(message: string, err?: unknown): void {
    this.sink.error(err === undefined ? message : `${message}: ${describeError(err, this.enabled('debug'))}`);
  }

  warn(message: string): void {
    if (this.enabled('warn')) this.sink.warn(message);
  }

  info(message: string): void {
    if (this.enabled('info')) this.sink.info(message);
  }

  /** Lazily built: debug messages are often costly to format and usually off. */
  debug(message: () => string): void {
    if (this.enabled('debug')) this.sink.log(message());
  }
}

export function describeError(err: unknown, stack = false): string {
  if (err instanceof Error) return stack && err.stack ? err.stack : err.message;
  return String(err);
}
