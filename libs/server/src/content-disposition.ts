/**
 * `attachment` with the file name twice: an ASCII stand-in for old clients and the real name as
 * RFC 5987 `filename*=UTF-8''…`, which every current browser and HTTP client prefers.
 */
export function contentDisposition(fileName: string): string {
  const ascii = /^[\x20-\x7e]*$/.test(fileName)
    ? fileName.replace(/["\\]/g, '_')
    : `forms${fileName.slice(fileName.lastIndexOf('.'))}`;
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
