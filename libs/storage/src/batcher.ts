/**
 * Gathers calls made in the same moment into one: concurrent jobs of a worker ask for their rows
 * and store their results within a millisecond of each other, and one statement for eight of
 * them costs little more than one. When a combined call fails, each input is retried alone, so
 * one bad input never fails the others.
 */
export class Batcher<I, O> {
  private pending: Array<{ input: I; resolve: (o: O) => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly flushMany: (inputs: I[]) => Promise<O[]>,
    private readonly maxSize = 64,
  ) {}

  run(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= this.maxSize) this.flush();
      else if (!this.scheduled) {
        this.scheduled = true;
        // After the I/O callbacks of this turn: every job that is ready has had its say.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const calls = this.pending.splice(0);
    if (!calls.length) return;
    void this.flushMany(calls.map((c) => c.input)).then(
      (outputs) => calls.forEach((c, i) => c.resolve(outputs[i])),
      (err: unknown) => {
        if (calls.length === 1) return calls[0].reject(err);
        for (const c of calls) this.flushMany([c.input]).then(([o]) => c.resolve(o), c.reject);
      },
    );
  }
}
