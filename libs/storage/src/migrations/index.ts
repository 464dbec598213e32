import { initial } from './001-initial';
import { blobStorage } from './002-blob-storage';
import { instance } from './003-instance';
import { pdfOutput } from './004-pdf-output';
import { retention } from './005-retention';
import { filings } from './006-filings';
import { filingIndex } from './007-filing-index';

export interface Migration {
  id: string;
  sql: string;
}

/** Applied in order, each once, all pending ones in one transaction. Never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  { id: '001-initial', sql: initial },
  { id: '002-blob-storage', sql: blobStorage },
  { id: '003-instance', sql: instance },
  { id: '004-pdf-output', sql: pdfOutput },
  { id: '005-retention', sql: retention },
  { id: '006-filings', sql: filings },
  { id: '007-filing-index', sql: filingIndex },
];
