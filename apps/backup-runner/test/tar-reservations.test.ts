import { describe, expect, it } from 'vitest';
import { RotatingReservations } from '../src/tar-reservations.ts';
import type { Reservations } from '../src/tar-reservations.ts';

/** A stand-in for node-tar's PathReservations that runs each reservation at once and records who got what. */
class Recording implements Reservations {
  static made: Recording[] = [];
  readonly paths: string[][] = [];
  constructor() {
    Recording.made.push(this);
  }
  reserve(paths: string[], fn: (done: () => void) => void): boolean {
    this.paths.push(paths);
    fn(() => undefined);
    return true;
  }
}

describe('RotatingReservations', () => {
  it('hands reservations to the current instance and replaces it once nothing is pending', () => {
    Recording.made = [];
    const rotating = new RotatingReservations(() => new Recording());
    const finish: (() => void)[] = [];
    rotating.reserve(['a'], (done) => finish.push(done));
    rotating.reserve(['b'], (done) => finish.push(done));
    expect(rotating.active).toBe(2);
    finish[0]?.();
    expect(rotating.rotations).toBe(0); // 'b' still runs in the first instance
    finish[1]?.();
    expect(rotating.active).toBe(0);
    expect(rotating.rotations).toBe(1);
    rotating.reserve(['c'], (done) => done());
    expect(Recording.made.map((r) => r.paths)).toEqual([[['a'], ['b']], [['c']], []]);
  });
});
