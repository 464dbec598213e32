export { DocxGenerator, documentFileName, documentTitle, generateDocx, recordId } from './docx-generator';
export type { GenerateOptions } from './docx-generator';
export { recordsFromInput } from './generate-input';
export { labelLines, wordBreaks } from './label-lines';
