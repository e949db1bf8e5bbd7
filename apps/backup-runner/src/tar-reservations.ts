// Works around a memory leak in node-tar 7.5.x: Unpack's PathReservations adds every entry's callback to a
// private Map (`#reservations`) that is never cleared, so each extracted entry keeps its ReadEntry, header and
// closures alive until the Unpack is gone (~3 KiB per entry: a volume of a million small files would need
// gigabytes). The reservation logic itself is sound, so instead of replacing it this swaps in a fresh instance
// whenever the current one is idle (nothing queued or running), letting the old one and its Map be collected.
// Idle moments are frequent: every time the parser waits for the file system to drain.

/** The part of node-tar's PathReservations that Unpack uses. */
export interface Reservations {
  reserve(paths: string[], fn: (done: () => void) => void): boolean;
}

export class RotatingReservations implements Reservations {
  readonly #create: () => Reservations;
  #current: Reservations;
  #active = 0;
  #rotations = 0;

  constructor(create: () => Reservations) {
    this.#create = create;
    this.#current = create();
  }

  /** How many times a drained instance was dropped (for tests). */
  get rotations(): number {
    return this.#rotations;
  }

  /** Reservations queued or running. */
  get active(): number {
    return this.#active;
  }

  reserve(paths: string[], fn: (done: () => void) => void): boolean {
    this.#active += 1;
    return this.#current.reserve(paths, (done) =>
      fn(() => {
        done();
        this.#active -= 1;
        // Nothing is queued in the current instance, so nothing can be lost by dropping it.
        if (this.#active === 0) {
          this.#current = this.#create();
          this.#rotations += 1;
        }
      }),
    );
  }
}

/** Installs RotatingReservations on an Unpack, built from the class of the instance it already has. */
export function installRotatingReservations(unpack: { reservations: object }): RotatingReservations {
  const Original = unpack.reservations.constructor as new () => Reservations;
  const rotating = new RotatingReservations(() => new Original());
  unpack.reservations = rotating;
  return rotating;
}
