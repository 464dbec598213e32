import { join } from 'node:path';
import { DefinitionRegistry, FormDefinition, definitions } from '@formbridge/definitions';
import type { GenerateOptions } from '../generate/docx-generator';
import { ThreadPool } from './thread-pool';

/** @internal what a generate thread is given per task. */
export interface GenerateInput {
  /** The records, or the JSON text of their array (parsed on the thread). */
  records: object[] | string;
  options?: GenerateOptions;
}

/** @internal what every generate thread starts with: the definitions, unless templates/ holds them. */
export interface GenerateThreadData {
  definitions?: FormDefinition[];
}

/**
 * The young generation of each generate thread's isolate. V8 lets it grow to 32 MB (two
 * semi-spaces of 16) once many objects survive a collection, which rendering a form's tree makes
 * them do: an export of 30,000 records had both threads' young generations go from 16 to 32 MB
 * half-way, most of its process's growth (216 -> 321 MB RSS). At 8 MB: 211 -> 272 MB, and no
 * slower (13.1 s against 13.2-14.3 s; docs/bench.md, "Sixth look").
 */
export const GENERATE_YOUNG_GENERATION_MB = 8;

/**
 * Renders records as a .docx (`generateDocx`, or a DocxGenerator of the given definitions) on
 * worker threads (a ThreadPool: one per core by default), so that exports, a few milliseconds of
 * CPU per form, never block the event loop that answers HTTP and feeds the queue, and a process
 * uses every core. The bytes are moved back, not copied; they equal the direct call's.
 */
export class GeneratePool {
  private static sharedPool?: GeneratePool;
  private readonly threads: ThreadPool<GenerateInput, Uint8Array>;

  /**
   * @param registry the definitions to render with, as DocxGenerator takes them; by default the
   * ones under templates/, which every thread reads itself as the main thread does
   */
  constructor(size = 0, registry?: DefinitionRegistry) {
    const data: GenerateThreadData =
      registry && registry !== definitions() ? { definitions: registry.definitions } : {};
    this.threads = new ThreadPool(join(__dirname, 'generate-thread.js'), 'generate', size, {
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: GENERATE_YOUNG_GENERATION_MB },
    });
  }

  /**
   * The process's pool: every export of a process shares it, so a process never runs more
   * generate threads than it has cores. The size of the first call wins.
   */
  static shared(size = 0): GeneratePool {
    return (GeneratePool.sharedPool ??= new GeneratePool(size));
  }

  get size(): number {
    return this.threads.size;
  }

  /** Threads running now: they start on demand (or warm()), and all but the first end when idle. */
  get threadCount(): number {
    return this.threads.threadCount;
  }

  /** Starts the threads now instead of on the first render (ThreadPool.warm). */
  warm(): void {
    this.threads.warm();
  }

  /**
   * The .docx of the records; fails as `generateDocx` does (INVALID_RECORD with field errors …).
   * Records given as the JSON text of their array are parsed on the thread: a string is copied
   * to it whole, where an object is taken apart and built again.
   */
  render(records: object[] | string, options?: GenerateOptions): Promise<Uint8Array> {
    return this.threads.run({ records, options });
  }

  /** Stops the threads; renders still running or waiting fail. */
  close(): Promise<void> {
    return this.threads.close();
  }
}
