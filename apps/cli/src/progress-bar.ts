import type { BatchProgress } from '@formbridge/queue';

/** A one-line progress bar on stderr, drawn only when stderr is a terminal. */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    /** Drawn at all: stderr is a terminal. */
    readonly enabled = Boolean(stream.isTTY),
  ) {}

  update(p: BatchProgress): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && p.status !== 'completed') return;
    this.lastDraw = now;
    const finished = p.done + p.failed;
    const total = Math.max(p.total, finished);
    const width = 30;
    const filled = total ? Math.round((finished / total) * width) : 0;
    const queuing = p.status === 'queuing' ? ' (queuing…)' : '';
    const line = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${finished}/${total}${queuing}  ${p.failed} failed  ${((now - this.started) / 1000).toFixed(1)} s`;
    this.stream.write(
      `\r${line.padEnd((this.stream.columns ?? 100) - 1).slice(0, (this.stream.columns ?? 100) - 1)}`,
    );
  }

  done(): void {
    if (this.enabled) this.stream.write('\n');
  }
}
