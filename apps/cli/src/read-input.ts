import { readFile, stat } from 'node:fs/promises';
import { ErrorCode, FormBridgeError } from '@formbridge/common';

/** Reads a file named on the command line, refusing it before reading when it is over the cap. */
export async function readInputFile(path: string, maxBytes: number): Promise<Buffer> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new FormBridgeError(ErrorCode.InvalidInput, `${path} is not a file`);
    size = s.size;
  } catch (err) {
    if (err instanceof FormBridgeError) throw err;
    throw new FormBridgeError(
      ErrorCode.InvalidInput,
      `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  if (size > maxBytes)
    throw new FormBridgeError(ErrorCode.TooLarge, `${path} is ${size} bytes; the limit is ${maxBytes}`);
  return readFile(path);
}
