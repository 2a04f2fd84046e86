import { describe, expect, it } from 'vitest';
import type { ResourceRecord } from './record.ts';
import { Tree } from './tree.ts';

function a(name: string, ip = '192.0.2.1'): ResourceRecord {
  return { name, ttl: 300, class: 'IN', type: 'A', data: ip };
}

function treeOf(...names: string[]): Tree {
  const t = new Tree();
  for (const n of names) t.insert(a(n));
  return t;
}

describe('Tree', () => {
  it('finds names exactly and groups records by type without dedupe', () => {
    const t = new Tree();
    t.insert(a('www.example.org.'));
    t.insert(a('www.example.org.'));
    t.insert({ name: 'www.example.org.', ttl: 300, class: 'IN', type: 'AAAA', data: '2001:db8::1' });
    const node = t.get('www.example.org.');
    expect(node?.type('A')).toHaveLength(2);
    expect(node?.type('AAAA')).toHaveLength(1);
    expect(node?.type('MX')).toHaveLength(0);
    expect(node?.types().sort()).toEqual(['A', 'AAAA']);
    expect(t.get('WWW.example.org.')).toBeUndefined();
    expect(t.size).toBe(1);
    expect(t.recordCount).toBe(3);
  });

  it('keeps names in canonical order', () => {
    const t = treeOf('z.example.', 'a.example.', 'example.', 'zabc.a.example.', 'yljkjljk.a.example.', '*.z.example.');
    expect(t.inOrder().map((n) => n.name)).toEqual([
      'example.', 'a.example.', 'yljkjljk.a.example.', 'zabc.a.example.', 'z.example.', '*.z.example.',
    ]);
  });

  it.each([
    ['c.example.com.', true],    // a.b.c exists below: empty non-terminal
    ['b.c.example.com.', true],
    ['a.b.c.example.com.', false], // a leaf
    ['example.com.', true],        // the apex, not stored itself
    ['d.example.com.', false],
    ['bc.example.com.', false],    // shares a suffix string but is not an ancestor
    ['a.example.com.', false],
  ])('hasBelow(%j) is %j', (name, want) => {
    const t = treeOf('a.example.com.', 'a.b.c.example.com.', 'x.bc0.example.com.');
    expect(t.hasBelow(name)).toBe(want);
  });

  it('prev gives the greatest name <= the query and next the smallest >=', () => {
    const t = treeOf('a.example.', 'c.example.', 'x.c.example.');
    expect(t.prev('b.example.')?.name).toBe('a.example.');
    expect(t.prev('c.example.')?.name).toBe('c.example.');
    expect(t.prev('a.c.example.')?.name).toBe('c.example.');
    expect(t.prev('0.example.')).toBeUndefined();
    expect(t.next('b.example.')?.name).toBe('c.example.');
    expect(t.next('c.example.')?.name).toBe('c.example.');
    expect(t.next('d.example.')).toBeUndefined();
  });

  it('re-orders after an insert that adds a name', () => {
    const t = treeOf('a.example.', 'c.example.');
    expect(t.next('b.example.')?.name).toBe('c.example.');
    t.insert(a('b.example.'));
    expect(t.next('b.example.')?.name).toBe('b.example.');
  });

  it('answers ordered queries on a 100k-name tree', () => {
    const t = new Tree();
    for (let i = 0; i < 100_000; i++) t.insert(a(`host-${i}.rack-${i % 100}.example.org.`));
    t.index();
    expect(t.size).toBe(100_000);
    expect(t.hasBelow('rack-7.example.org.')).toBe(true);
    expect(t.hasBelow('rack-100.example.org.')).toBe(false);
    expect(t.get('host-99999.rack-99.example.org.')?.type('A')).toHaveLength(1);
  });
});
