/** An export item may also have a PDF of its form (`export --pdf`), stored beside the .docx bytes. */
export const pdfOutput = `
ALTER TABLE batch_items ADD COLUMN pdf_sha256 text;
`;
