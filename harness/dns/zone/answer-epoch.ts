/**
 * What a server's reply cache (server/reply-cache.ts) needs from the zone side: a process-wide
 * count of the changes that can alter an answer served from zone data, and a way for the
 * answering code to say that an answer came from zone data alone.
 *
 * Zone data changes only through a successful `loadZone` (a new zone, or the fresh copy a
 * reload tick swaps in right after, in the same synchronous step) and through auto's walk
 * adding or removing zones; both bump the epoch. A cache keyed by epoch is therefore never
 * stale, and holds no reference to any zone, tree or record (so a reloaded or removed zone
 * is collectable at once, as the leak probes expect).
 */

let epoch = 0;

/** The current epoch; compare it with the one an entry was computed under. */
export function answerEpoch(): number {
  return epoch;
}

/** Something that could change an answer happened: every cached answer is void. */
export function bumpAnswerEpoch(): void {
  epoch++;
}

/** A ResponseWriter that wants to know when a reply was built from zone data alone. */
export interface ZoneAnswerSink {
  noteZoneAnswer(): void;
}

/**
 * Tells `w` (when it listens) that the reply just written depends only on the query and the
 * zone's data: no upstream was asked, nothing about the client was used.
 */
export function noteZoneAnswer(w: object): void {
  const sink = w as Partial<ZoneAnswerSink>;
  if (typeof sink.noteZoneAnswer === 'function') sink.noteZoneAnswer();
}
