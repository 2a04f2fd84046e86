import { describe, expect, it } from 'vitest';
import { requireGc, settle } from './gc.ts';

class Thing {
  constructor(readonly n: number) {}
}

function makeRef(): WeakRef<Thing> {
  return new WeakRef(new Thing(1));
}

describe('gc', () => {
  it('requireGc returns a working gc in the test workers (--expose-gc), the same function each time', () => {
    const gc = requireGc();
    expect(gc).toBeTypeOf('function');
    expect(requireGc()).toBe(gc);
    gc();
  });

  it('case 30: a WeakRef created in the current job survives a synchronous gc(); settle() collects it', async () => {
    const ref = makeRef();
    requireGc()();
    // Same job as the WeakRef's creation: the spec keeps the target alive (the false positive to avoid).
    expect(ref.deref()).toBeDefined();
    await settle();
    expect(ref.deref()).toBeUndefined();
  });

  it('settle() leaves strongly held objects alone', async () => {
    const held = new Thing(2);
    const ref = new WeakRef(held);
    await settle();
    expect(ref.deref()).toBe(held);
  });
});
