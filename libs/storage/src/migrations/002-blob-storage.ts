/**
 * Word files are zip archives, already compressed: PostgreSQL's attempt to compress each one
 * again (pglz, on every value over 2 kB) cost about 40% of the database's CPU in a bulk import
 * and saved nothing. EXTERNAL keeps them out of line, uncompressed.
 */
export const blobStorage = `
ALTER TABLE blobs ALTER COLUMN content SET STORAGE EXTERNAL;
`;
