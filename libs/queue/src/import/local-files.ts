/**
 * Files an import of this process stored a moment ago, kept for this process's own parse workers:
 * they parse the bytes the producer already holds instead of reading them back from storage
 * (from PostgreSQL, 10,000 files came back as 160 MB of hex text; docs/bench.md). Only a
 * shortcut: a job whose files are not here (another process's import, a retry, an evicted file)
 * reads them from storage as before. Bounded in bytes; the oldest go first.
 */
export class LocalFiles {
  private readonly files = new Map<number, Uint8Array>();
  private bytes = 0;
  private enabled = false;

  constructor(private readonly maxBytes = 16 * 1024 * 1024) {}

  /** Called when this process starts parse workers: before that nobody would take the files. */
  enable(): void {
    this.enabled = true;
  }

  /** Keeps the bytes of an import item whose document now holds them in storage. */
  put(itemId: number, bytes: Uint8Array): void {
    if (!this.enabled || bytes.length > this.maxBytes || this.files.has(itemId)) return;
    this.files.set(itemId, bytes);
    this.bytes += bytes.length;
    for (const [id, oldest] of this.files) {
      if (this.bytes <= this.maxBytes) break;
      this.files.delete(id);
      this.bytes -= oldest.length;
    }
  }

  /** The item's bytes, once: a retry of the job reads them from storage. */
  take(itemId: number): Uint8Array | undefined {
    const bytes = this.files.get(itemId);
    if (bytes) {
      this.files.delete(itemId);
      this.bytes -= bytes.length;
    }
    return bytes;
  }

  get size(): number {
    return this.files.size;
  }
}
