/**
 * auto's zone container (upstream plugin/auto/zone.go): the loaded zones by origin, the
 * names queries are matched against, and the origins of the pre-check.
 *
 * Whoever arms a zone's reload timer registers its disarm here too: `add` starts it,
 * `remove` and `shutdownAll` stop it through `Zone.onShutdown()`.
 */
import type { Zone } from '../../zone/zone.ts';
import { lower } from '../../zone/names.ts';
import { publish } from '../../server/events.ts';

export class Zones {
  private readonly byName = new Map<string, Zone>();
  private nameList: string[] = [];

  /** @param origins the origins of the ServeDNS pre-check (upstream `origins`). */
  constructor(readonly origins: readonly string[]) {}

  /** Loaded zone names, in insertion order (upstream rebuilds them in map order on Remove). */
  names(): readonly string[] {
    return this.nameList;
  }

  get(name: string): Zone | undefined {
    return this.byName.get(name);
  }

  get size(): number {
    return this.byName.size;
  }

  /** Every loaded zone. */
  zones(): Zone[] {
    return [...this.byName.values()];
  }

  /**
   * Upstream Zones.Add: stores the zone and starts its reload task (`startReload`) when its
   * interval is not 0.
   */
  add(zone: Zone, name: string, startReload: (zone: Zone) => void): void {
    this.byName.set(name, zone);
    this.nameList.push(name);
    if (zone.reloadInterval > 0) startReload(zone);
    publish('zone:loaded', () => ({
      instanceId: zone.instanceId,
      origin: zone.origin,
      file: zone.file,
      serial: zone.soaSerial(),
      records: zone.recordCount,
      zone,
    }));
  }

  /** Upstream Zones.Remove: stops the zone's reload task, then forgets it. No-op when absent. */
  remove(name: string): void {
    const zone = this.byName.get(name);
    if (zone === undefined) return;
    zone.onShutdown();
    this.byName.delete(name);
    this.nameList = [...this.byName.keys()];
    publish('zone:removed', () => ({ instanceId: zone.instanceId, origin: zone.origin }));
  }

  /** The longest of `names` equal to or an ancestor of `qname` (case-insensitive, as dns.IsSubDomain). */
  static longestMatch(names: readonly string[], qname: string): string | null {
    const q = lower(qname);
    let best: string | null = null;
    for (const name of names) {
      const n = lower(name);
      const isAncestor = n === '.' || q === n || q.endsWith(`.${n}`);
      if (isAncestor && (best === null || n.length > best.length)) best = name;
    }
    return best;
  }
}
