/**
 * `auto` directive parsing (upstream plugin/auto/setup.go autoParse), as a pure function of
 * the directive's tokens. The only outside world it touches is through `options.statDirectory`,
 * which setup passes so that a missing directory is a warning and an unreadable one an error
 * at the `directory` line, exactly where upstream reports them.
 */
import { isAbsolute, resolve } from 'node:path';
import type { Dispenser } from '../../server/corefile/dispenser.ts';
import { parseGoDuration } from '../reload/go-duration.ts';
import { originsFromArgsOrBlock } from './origins.ts';
import { compileZoneRegexp, DEFAULT_REGEXP, DEFAULT_TEMPLATE, rewriteToExpand, type ZoneRegexp } from './regexp.ts';

export interface AutoConfig {
  /** Zones this block answers for (the pre-check of ServeDNS); the block's zones when none were given. */
  readonly origins: readonly string[];
  /** Absolute directory to scan. */
  readonly directory: string;
  readonly regexp: ZoneRegexp;
  /** Template after rewriteToExpand (`${1}`). */
  readonly template: string;
  /**
   * Walk period and per-zone reload period, in CoreDNS milliseconds; 0 turns both off.
   * @default 60_000
   */
  readonly reloadInterval: number;
}

/** What `statDirectory` found. `Error` = exists but cannot be accessed. */
export type DirectoryState = 'exists' | 'missing' | Error;

export interface ParseAutoOptions {
  /**
   * Where a relative DIR is resolved. CoreDNS uses the process working directory (there is no
   * `root` plugin in this miniature); the server passes its configured cwd.
   * @default process.cwd()
   */
  cwd?: string;
  /** Stats the directory; omitted = pure parse, no check. */
  statDirectory?: (dir: string) => DirectoryState;
  /** Receives `Directory does not exist: DIR`. */
  warn?: (message: string) => void;
}

/** Upstream default when `reload` is absent (v1.4.0+). */
export const DEFAULT_RELOAD_MS = 60_000;

/**
 * Parses every `auto` line of the block (the last one's ZONES and the last `directory` win).
 * Throws what upstream returns, before the `plugin/auto: ` prefix that setup adds; errors
 * upstream returns without a location get one here (house rule: file:line where there is a file).
 */
export function parseAuto(d: Dispenser, blockZones: readonly string[], options: ParseAutoOptions = {}): AutoConfig {
  const cwd = options.cwd ?? process.cwd();
  let origins: string[] = [...blockZones];
  let directory = '';
  let regexp = compileZoneRegexp(DEFAULT_REGEXP);
  let template = DEFAULT_TEMPLATE;
  let reloadInterval = -1; // upstream's "unset" sentinel

  while (d.next()) {
    origins = originsFromArgsOrBlock(d.remainingArgs(), blockZones);
    while (d.nextBlock()) {
      const property = d.val();
      switch (property) {
        case 'directory': {
          if (!d.nextArg()) throw d.argErr();
          directory = isAbsolute(d.val()) ? d.val() : resolve(cwd, d.val());
          const state = options.statDirectory?.(directory) ?? 'exists';
          if (state === 'missing') options.warn?.(`Directory does not exist: ${directory}`);
          else if (state instanceof Error) throw d.errf(`Unable to access root path '${directory}': ${state.message}`);
          if (d.nextArg()) {
            try {
              regexp = compileZoneRegexp(d.val());
            } catch (err) {
              throw d.errf((err as Error).message);
            }
            if (regexp.groups === 0) throw d.errf('Need at least one sub expression');
            if (!d.nextArg()) throw d.argErr();
            template = rewriteToExpand(d.val());
          }
          if (d.nextArg()) throw d.argErr();
          break;
        }
        case 'reload': {
          const args = d.remainingArgs();
          const first = args[0];
          if (first === undefined) throw d.errf('reload duration value is expected');
          let ms: number;
          try {
            ms = parseGoDuration(first);
          } catch (err) {
            throw d.errf(`plugin/file: ${(err as Error).message}`);
          }
          if (ms < 0) throw d.errf('plugin/file: invalid duration');
          reloadInterval = ms;
          break;
        }
        case 'upstream':
          d.remainingArgs(); // accepted and ignored upstream ("remove soon")
          break;
        default:
          throw d.errf(`unknown property '${property}'`);
      }
    }
  }
  return {
    origins,
    directory,
    regexp,
    template,
    reloadInterval: reloadInterval < 0 ? DEFAULT_RELOAD_MS : reloadInterval,
  };
}
