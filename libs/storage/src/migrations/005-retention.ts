/**
 * Retention (issue 10): generated export files are deleted after EXPORT_RETENTION_DAYS; the
 * batch keeps its report (items, names, failures) and says when its files went. The index makes
 * "is this blob still someone's output" a lookup, not a scan.
 */
export const retention = `
ALTER TABLE batches ADD COLUMN files_deleted_at timestamptz;
CREATE INDEX batch_items_output ON batch_items (output_sha256) WHERE output_sha256 IS NOT NULL;
CREATE INDEX batch_items_pdf ON batch_items (pdf_sha256) WHERE pdf_sha256 IS NOT NULL;
`;
