// Warnings for the result: a live volume can produce one per file (vanished files, sockets), so only the first
// few are kept verbatim and the rest are counted.
export class Warnings {
  readonly #kept: string[] = [];
  #dropped = 0;
  readonly #limit: number;

  constructor(limit = 50) {
    this.#limit = limit;
  }

  add(message: string): void {
    if (this.#kept.length < this.#limit) this.#kept.push(message);
    else this.#dropped += 1;
  }

  list(): string[] {
    return this.#dropped === 0 ? [...this.#kept] : [...this.#kept, `…and ${this.#dropped} more warnings`];
  }
}
