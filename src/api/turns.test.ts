import { describe, expect, it } from 'vitest';
import { Turns } from './turns.js';

describe('Turns', () => {
  it('lets `size` hold at once and serves the others in the order they asked', async () => {
    const turns = new Turns(2);
    const order: string[] = [];
    const a = await turns.take();
    const b = await turns.take();
    const c = turns.take().then((release) => (order.push('c'), release));
    const d = turns.take().then((release) => (order.push('d'), release));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    b();
    const releaseC = await c;
    expect(order).toEqual(['c']);
    // Giving a turn back twice gives back one turn.
    b();
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['c']);
    a();
    (await d)();
    releaseC();
    // All free again: two at once without waiting.
    const e = await turns.take();
    const f = await turns.take();
    e();
    f();
  });
});
