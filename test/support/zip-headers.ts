/**
 * Rewrites the uncompressed size a zip declares for one entry, in its local header and in the
 * central directory, leaving the data alone: what some writers get wrong (Apache POI's test file
 * for its bug 55733 declares a docProps/core.xml smaller than its data).
 */
export function withDeclaredSize(zip: Uint8Array, entry: string, size: number): Uint8Array {
  const out = Buffer.from(zip);
  let found = 0;
  for (let o = 0; o + 46 <= out.length; o++) {
    const sig = out.readUInt32LE(o);
    const central = sig === 0x02014b50;
    if (!central && sig !== 0x04034b50) continue;
    const nameAt = o + (central ? 46 : 30);
    const nameLength = out.readUInt16LE(o + (central ? 28 : 26));
    if (out.toString('utf8', nameAt, nameAt + nameLength) !== entry) continue;
    out.writeUInt32LE(size, o + (central ? 24 : 22));
    found++;
  }
  if (found !== 2) throw new Error(`expected one local header and one directory entry for ${entry}`);
  return out;
}
