/**
 * CoreDNS-style log lines (`[INFO] plugin/auto: Inserting zone ...`). Every line is also
 * published as a `log:line` event so tests and scenarios can assert on it; printing is off
 * unless a sink is given (tests stay quiet).
 */
import { publish } from './events.ts';

export type LogLevel = 'INFO' | 'WARNING' | 'ERROR' | 'DEBUG';

export type LogSink = (line: string) => void;

export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /** A logger whose lines carry `plugin/<name>: `. */
  plugin(name: string): Logger;
}

export function createLogger(sink: LogSink | null, plugin: string | null = null): Logger {
  const emit = (level: LogLevel, message: string): void => {
    publish('log:line', () => ({ level, plugin, message }));
    if (sink) sink(`[${level}] ${plugin ? `plugin/${plugin}: ` : ''}${message}`);
  };
  return {
    info: (m) => emit('INFO', m),
    warning: (m) => emit('WARNING', m),
    error: (m) => emit('ERROR', m),
    debug: (m) => emit('DEBUG', m),
    plugin: (name) => createLogger(sink, name),
  };
}

/** A logger that prints nothing (events are still published). */
export const silentLogger: Logger = createLogger(null);
