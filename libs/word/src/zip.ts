import { inflateRawSync } from 'node:zlib';
import { Inflate } from 'fflate';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import type { PackageWarning } from './model';

export interface ZipLimits {
  /** Largest inflated size accepted for any one part we read. */
  maxEntryBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntryBytes: 64 * 1024 * 1024, maxEntries: 5000 };

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Parts up to this size inflate in one call (about 1 s of work at worst); larger ones stream. */
const ONE_SHOT_LIMIT = 512 * 1024;

/**
 * The text of small parts by their exact compressed bytes (and method and declared size, so the
 * same inflate path is taken): every file one producer writes carries the same
 * `[Content_Types].xml` and `_rels/.rels`, and inflating them cost as much as a tenth of a
 * one-form parse (a zlib stream set up per part). Bounded: cleared when full.
 */
const SMALL_PART = 2048;
/** Deflate reaches 1000:1: only texts up to this many bytes are kept. */
const SMALL_TEXT = 16 * 1024;
const smallTexts = new Map<string, { text: string; size: number }>();

const NAMES = new TextDecoder('utf-8');

const corrupt = (why: string) =>
  new FormBridgeError(ErrorCode.CorruptFile, `the file is not a readable Word package: ${why}`);

function sizeWarning(part: string, declared: number, actual: number): PackageWarning {
  return { part, message: `part ${part} declares ${declared} bytes but holds ${actual}; read as it is` };
}

/**
 * Reads named parts out of a zip held in memory, never touching the disk, so entry names such
 * as `../../x` mean nothing here. Only the central directory is trusted for names; sizes are
 * hints, and every inflate stops as soon as it passes the cap, so a decompression bomb (even one
 * whose directory lies) costs bounded memory and time.
 */
export class ZipPackage {
  private readonly entries = new Map<string, Entry>();
  /** Parts read so far whose headers were wrong but whose data was whole and within the caps. */
  readonly warnings: PackageWarning[] = [];
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.readDirectory();
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  /**
   * The part's bytes, or undefined when the package has no such part. Only the parts read are
   * checked: a wrong size in a part nobody asks for (docProps/core.xml in Apache POI's test file
   * for its bug 55733) does not matter to us, as it does not to Word or LibreOffice.
   */
  read(name: string): Uint8Array | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    if (entry.flags & 1) {
      throw new FormBridgeError(
        ErrorCode.Encrypted,
        'the file is encrypted (zip encryption); remove the password in Word and try again',
      );
    }
    if (entry.size > this.limits.maxEntryBytes) throw this.bomb(name);
    const start = this.dataStart(entry);
    const data = this.bytes.subarray(start, start + entry.compressedSize);
    if (data.length < entry.compressedSize) throw corrupt(`part ${name} is truncated`);
    let out: Uint8Array;
    if (entry.method === 0) {
      if (data.length > this.limits.maxEntryBytes) throw this.bomb(name);
      out = data;
    } else if (entry.method === 8) out = this.inflate(name, data, entry.size);
    else throw corrupt(`part ${name} uses unsupported compression ${entry.method}`);
    if (out.length !== entry.size) this.warnings.push(sizeWarning(name, entry.size, out.length));
    return out;
  }

  readText(name: string): string | undefined {
    const entry = this.entries.get(name);
    const key = entry && this.smallPartKey(entry);
    const known = key === undefined ? undefined : smallTexts.get(key);
    if (
      entry &&
      known &&
      entry.size <= this.limits.maxEntryBytes &&
      known.size <= this.limits.maxEntryBytes
    ) {
      if (known.size !== entry.size) this.warnings.push(sizeWarning(name, entry.size, known.size));
      return known.text;
    }
    const data = this.read(name);
    if (data === undefined) return undefined;
    const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
    if (key !== undefined && data.length <= SMALL_TEXT) {
      if (smallTexts.size >= 256) smallTexts.clear();
      smallTexts.set(key, { text, size: data.length });
    }
    return text;
  }

  private smallPartKey(entry: Entry): string | undefined {
    if (
      entry.flags & 1 ||
      entry.compressedSize > SMALL_PART ||
      entry.size > this.limits.maxEntryBytes ||
      (entry.method !== 8 && entry.method !== 0)
    ) {
      return undefined;
    }
    const start = this.dataStart(entry);
    if (start + entry.compressedSize > this.bytes.length) return undefined;
    const data = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, entry.compressedSize);
    return `${entry.method}:${entry.size}:${data.toString('latin1')}`;
  }

  /**
   * Inflates a part, never past the cap: a decompression bomb costs bounded memory and time
   * whatever its headers say. The declared size is a hint for the fast path only.
   */
  private inflate(name: string, data: Uint8Array, declared: number): Uint8Array {
    // A stored part cannot be smaller than its data, and deflate never grows data by more than a
    // few bytes per 16 KB block: such a part's declared size is a lie, and only the cap holds.
    const plausible = data.length <= declared + Math.ceil(declared / 16384) * 5 + 64;
    if (plausible && declared <= ONE_SHOT_LIMIT) {
      // Node's zlib, stopped one byte past the declared size: the spare byte tells a part that
      // outgrows its declared size, which is then inflated again against the cap. It is about 3x
      // faster than fflate here (0.05 vs 0.15 ms on a one-form document.xml).
      const out = this.inflateOnce(name, data, declared + 1);
      if (out) return out;
    }
    return this.inflateStreaming(name, data, plausible ? declared : 0);
  }

  /** undefined when the output passed `limit`. */
  private inflateOnce(name: string, data: Uint8Array, limit: number): Uint8Array | undefined {
    try {
      // One output chunk of the expected size: zlib's default 16 KB chunks are copied together
      // at the end (a quarter of the inflate's time for a 70 KB document.xml).
      const out = inflateRawSync(data, { maxOutputLength: limit, chunkSize: Math.max(64, limit) });
      return out.length < limit ? out : undefined;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
      throw corrupt(`part ${name} does not inflate (${(err as Error).message})`);
    }
  }

  /** Streams in slices into a buffer grown as needed, and stops as soon as the cap is passed. */
  private inflateStreaming(name: string, data: Uint8Array, sizeHint: number): Uint8Array {
    const cap = this.limits.maxEntryBytes;
    let out = new Uint8Array(Math.min(Math.max(sizeHint, 64 * 1024), cap));
    let written = 0;
    let done = false;
    const inflater = new Inflate((chunk, final) => {
      if (written + chunk.length > cap) throw this.bomb(name);
      if (written + chunk.length > out.length) {
        const grown = new Uint8Array(Math.min(cap, Math.max(out.length * 2, written + chunk.length)));
        grown.set(out.subarray(0, written));
        out = grown;
      }
      out.set(chunk, written);
      written += chunk.length;
      if (final) done = true;
    });
    // Small slices bound what one push can expand to (deflate tops out near 1032:1).
    const slice = 32 * 1024;
    try {
      for (let i = 0; i < data.length; i += slice) {
        inflater.push(data.subarray(i, Math.min(i + slice, data.length)), i + slice >= data.length);
      }
    } catch (err) {
      if (err instanceof FormBridgeError) throw err;
      throw corrupt(`part ${name} does not inflate (${(err as Error).message})`);
    }
    if (!done) throw corrupt(`part ${name} is damaged (its data ends early)`);
    return out.subarray(0, written);
  }

  private bomb(name: string): FormBridgeError {
    return new FormBridgeError(
      ErrorCode.InflatedTooLarge,
      `part ${name} inflates beyond ${this.limits.maxEntryBytes} bytes; refusing a possible decompression bomb`,
    );
  }

  private dataStart(entry: Entry): number {
    const o = entry.localOffset;
    if (o + 30 > this.bytes.length || this.view.getUint32(o, true) !== 0x04034b50) {
      throw corrupt(`local header of ${entry.name} is missing`);
    }
    return o + 30 + this.view.getUint16(o + 26, true) + this.view.getUint16(o + 28, true);
  }

  private readDirectory(): void {
    const b = this.bytes;
    const v = this.view;
    let eocd = -1;
    for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 0xffff); i--) {
      if (v.getUint32(i, true) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw corrupt('no zip directory (truncated or not a zip)');
    const count = v.getUint16(eocd + 10, true);
    let o = v.getUint32(eocd + 16, true);
    if (count === 0xffff || o === 0xffffffff) throw corrupt('ZIP64 packages are not Word documents');
    if (count > this.limits.maxEntries) throw corrupt(`too many zip entries (${count})`);
    for (let i = 0; i < count; i++) {
      if (o + 46 > b.length || v.getUint32(o, true) !== 0x02014b50) throw corrupt('zip directory is damaged');
      const nameLength = v.getUint16(o + 28, true);
      const end = o + 46 + nameLength;
      if (end > b.length) throw corrupt('zip directory is damaged');
      const entry: Entry = {
        flags: v.getUint16(o + 8, true),
        method: v.getUint16(o + 10, true),
        compressedSize: v.getUint32(o + 20, true),
        size: v.getUint32(o + 24, true),
        localOffset: v.getUint32(o + 42, true),
        name: NAMES.decode(b.subarray(o + 46, end)),
      };
      // OPC part names are relative, forward-slashed and never climb: a name that could escape a
      // folder if extracted marks a hostile package, even though nothing here touches the disk.
      if (/(^|[/\\])\.\.([/\\]|$)|^[/\\]|\\|\0|^[A-Za-z]:/.test(entry.name)) {
        throw new FormBridgeError(
          ErrorCode.UnsafePackage,
          `the package holds an entry named ${JSON.stringify(entry.name)}, which no Word file has; refusing it`,
        );
      }
      this.entries.set(entry.name, entry);
      o = end + v.getUint16(o + 30, true) + v.getUint16(o + 32, true);
    }
  }
}
