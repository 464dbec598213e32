export type SubmissionFormat = 'docx' | 'doc' | 'rtf' | 'encrypted' | 'empty' | 'unknown';

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function hasUtf16(bytes: Uint8Array, text: string): boolean {
  const needle = Buffer.from(text, 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf(needle) >= 0;
}

/** Tells a submission's format from its bytes, never from its name. */
export function detectFormat(bytes: Uint8Array): SubmissionFormat {
  if (bytes.length === 0) return 'empty';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05)) return 'docx';
  if (OLE_MAGIC.every((b, i) => bytes[i] === b)) {
    // Password-protected OOXML is an OLE container around an encrypted package.
    if (hasUtf16(bytes, 'EncryptedPackage')) return 'encrypted';
    if (hasUtf16(bytes, 'WordDocument')) return 'doc';
    return 'unknown';
  }
  const head = Buffer.from(bytes.subarray(0, 5)).toString('latin1');
  if (head === '{\\rtf') return 'rtf';
  return 'unknown';
}
