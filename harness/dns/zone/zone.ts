/**
 * A loaded zone (CoreDNS's plugin/file Zone): the apex records, the tree of everything else,
 * and the reload timer the `file`/`auto` plugins arm for it.
 *
 * Issue 6703 is about these objects: an `auto` instance that is never shut down keeps every
 * Zone alive through its reload timer. `instanceId` is a plain string property so a heap
 * snapshot shows which instance a retained Zone belongs to.
 */
import type { ResourceRecord } from './record.ts';
import type { TimerHandle } from '../server/clock.ts';
import { publish } from '../server/events.ts';
import { Tree } from './tree.ts';
import { fqdn, isSubdomain, lower } from './names.ts';

export type SoaRecord = Extract<ResourceRecord, { type: 'SOA' }>;

/** The records CoreDNS keeps outside the tree (Zone.Apex). */
export interface Apex {
  soa: SoaRecord | null;
  /** NS records owned by the origin. */
  ns: ResourceRecord[];
  /** RRSIGs covering the SOA. */
  sigSoa: ResourceRecord[];
  /** RRSIGs covering the apex NS set. */
  sigNs: ResourceRecord[];
}

export type ZoneLoadErrorCode =
  | 'io'
  | 'parse'
  | 'no-soa'
  | 'multiple-soa'
  | 'soa-not-at-apex'
  | 'serial-unchanged'
  | 'outside-origin'
  | 'nsec3';

/** Why a zone could not be loaded. `line` is 1-based, `null` when no single line is to blame. */
export class ZoneLoadError extends Error {
  override readonly name = 'ZoneLoadError';
  constructor(
    readonly code: ZoneLoadErrorCode,
    message: string,
    readonly file: string,
    readonly line: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** `<file>:<line>: msg` when the line is known, else `msg`. */
function located(file: string, line: number | undefined, msg: string): string {
  return line === undefined ? msg : `${file}:${line}: ${msg}`;
}

function emptyApex(): Apex {
  return { soa: null, ns: [], sigSoa: [], sigNs: [] };
}

export class Zone {
  /** Absolute, lower-case origin (`example.org.`). */
  readonly origin: string;
  /** The zone file path; `auto` changes it when a zone moves to another file (SetFile). */
  file: string;
  /** The server instance that loaded this zone. A string on purpose: memlab reads it from heap snapshots. */
  readonly instanceId: string;
  /** Reload period in (unscaled) milliseconds; 0 means the zone is never reloaded. */
  reloadInterval = 0;
  /** The periodic reload timer, set by the plugin that arms it; `onShutdown` cancels it. */
  reloadTimer: TimerHandle | null = null;
  /** `file`'s `reload_by_mtime`: the reload task compares the file's mtime, not the SOA serial. */
  reloadByMtime = false;
  /**
   * The file's mtime (ms since the epoch) when this data was last loaded, or null when it never
   * was. Only the mtime mode reads it; `swap` leaves it alone because the reload task sets it.
   */
  fileMtimeMs: number | null = null;

  private apexState: Apex = emptyApex();
  private treeState: Tree = new Tree();
  private shutDown = false;

  constructor(origin: string, file: string, instanceId: string) {
    this.origin = lower(fqdn(origin));
    this.file = file;
    this.instanceId = instanceId;
  }

  /**
   * Builds a zone from parsed records, with the rules of a clean load: exactly one SOA, owned
   * by the origin, and no record outside the origin. `lines[i]` is the source line of
   * `records[i]` and goes into error messages, in `files[i]` when given (an `$INCLUDE`d
   * file), else in `file`.
   */
  static fromRecords(
    origin: string,
    file: string,
    instanceId: string,
    records: readonly ResourceRecord[],
    lines?: readonly number[],
    files?: readonly string[],
  ): Zone {
    const zone = new Zone(origin, file, instanceId);
    let soaLine: number | undefined;
    let seenSoa = false;
    records.forEach((rr, i) => {
      const line = lines?.[i];
      const where = files?.[i] ?? file;
      const owner = lower(rr.name);
      if (!isSubdomain(owner, zone.origin)) {
        throw new ZoneLoadError('outside-origin', located(where, line, `out-of-zone record ${rr.name} ${rr.type}: not under origin ${zone.origin}`), where, line ?? null);
      }
      if (rr.type === 'SOA') {
        if (owner !== zone.origin) {
          throw new ZoneLoadError('soa-not-at-apex', located(where, line, `SOA record owned by ${rr.name}, not by the origin ${zone.origin}`), where, line ?? null);
        }
        if (seenSoa) {
          const first = soaLine === undefined ? '' : ` (first SOA at line ${soaLine})`;
          throw new ZoneLoadError('multiple-soa', located(where, line, `second SOA record for origin ${zone.origin}${first}`), where, line ?? null);
        }
        seenSoa = true;
        soaLine = line;
      }
      try {
        zone.insert(rr);
      } catch (err) {
        if (err instanceof ZoneLoadError) throw new ZoneLoadError(err.code, located(where, line, err.message), where, line ?? null);
        throw err;
      }
    });
    if (!seenSoa) {
      throw new ZoneLoadError('no-soa', `file "${file}" has no SOA record for origin ${zone.origin}`, file);
    }
    return zone;
  }

  /** The apex records. Replaced as a whole by `swap`. */
  get apex(): Apex {
    return this.apexState;
  }

  /** Everything that is not apex SOA/NS. Replaced as a whole by `swap`. */
  get tree(): Tree {
    return this.treeState;
  }

  /** True once `onShutdown` ran. */
  get isShutdown(): boolean {
    return this.shutDown;
  }

  /**
   * Stores one record with CoreDNS's Insert rules: owner lower-cased (not for SRV), NS/CNAME/MX
   * targets and SOA names lower-cased, apex NS and every SOA to the apex (a later SOA replaces
   * an earlier one), RRSIGs over SOA/apex NS to the apex, NSEC3 refused, no dedupe.
   */
  insert(rr: ResourceRecord): void {
    const t: string = rr.type;
    if (t === 'NSEC3' || t === 'NSEC3PARAM' || t === 'TYPE50' || t === 'TYPE51') {
      throw new ZoneLoadError('nsec3', `NSEC3 zone is not supported, dropping RR: ${rr.name} for zone: ${this.origin}`, this.file);
    }
    const r = normalise(rr);
    const apex = this.apexState;
    switch (r.type) {
      case 'NS':
        if (r.name === this.origin) {
          apex.ns.push(r);
          return;
        }
        break;
      case 'SOA':
        apex.soa = r;
        return;
      case 'RRSIG':
        if (r.data.typeCovered === 'SOA') {
          apex.sigSoa.push(r);
          return;
        }
        if (r.data.typeCovered === 'NS' && r.name === this.origin) {
          apex.sigNs.push(r);
          return;
        }
        break;
      default:
        break;
    }
    this.treeState.insert(r);
  }

  /** Every stored record: SOA, apex NS and signatures, and the tree. */
  get recordCount(): number {
    const a = this.apexState;
    return (a.soa ? 1 : 0) + a.ns.length + a.sigSoa.length + a.sigNs.length + this.treeState.recordCount;
  }

  /** The SOA serial, or -1 when there is no SOA (CoreDNS's SOASerialIfDefined). */
  soaSerial(): number {
    return this.apexState.soa ? this.apexState.soa.data.serial : -1;
  }

  /** Takes over `other`'s apex and tree in one step (a successful reload). */
  swap(other: Zone): void {
    if (other.origin !== this.origin) {
      throw new Error(`cannot swap zone ${other.origin} into zone ${this.origin}`);
    }
    this.apexState = other.apexState;
    this.treeState = other.treeState;
  }

  /**
   * Stops the reload timer and says so (CoreDNS's Zone.OnShutdown). Safe to call again: the
   * timer is cancelled if one was set since, the event is published once.
   */
  onShutdown(): void {
    if (this.reloadTimer !== null) {
      this.reloadTimer.cancel();
      this.reloadTimer = null;
    }
    if (this.shutDown) return;
    this.shutDown = true;
    publish('zone:shutdown', () => ({ instanceId: this.instanceId, origin: this.origin }));
  }
}

/** A copy of `rr` with the names CoreDNS lower-cases lower-cased; `rr` itself if nothing changes. */
function normalise<R extends ResourceRecord>(rr: R): R {
  const name = rr.type === 'SRV' ? rr.name : lower(rr.name);
  switch (rr.type) {
    case 'NS':
    case 'CNAME': {
      const data = lower(rr.data);
      return name === rr.name && data === rr.data ? rr : { ...rr, name, data };
    }
    case 'MX': {
      const exchange = lower(rr.data.exchange);
      return name === rr.name && exchange === rr.data.exchange ? rr : { ...rr, name, data: { ...rr.data, exchange } };
    }
    case 'SOA': {
      const mname = lower(rr.data.mname);
      const rname = lower(rr.data.rname);
      if (name === rr.name && mname === rr.data.mname && rname === rr.data.rname) return rr;
      return { ...rr, name, data: { ...rr.data, mname, rname } };
    }
    default:
      return name === rr.name ? rr : { ...rr, name };
  }
}
