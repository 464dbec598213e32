/** The documented HTTP API, as the page uses it. Relative URLs: the page may sit under a prefix. */

export interface FieldError {
  path: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => undefined;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function whenUnauthorized(fn: () => void): void {
  onUnauthorized = fn;
}

function headers(method: string, json: boolean): Record<string, string> {
  const h: Record<string, string> = { Accept: 'application/json' };
  if (json) h['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) h['X-CSRF-Token'] = csrfToken;
  return h;
}

async function errorOf(res: Response): Promise<ApiError> {
  let body: { code?: string; message?: string | string[]; errors?: FieldError[] } = {};
  try {
    body = (await res.json()) as typeof body;
  } catch {
    // not JSON: the status says enough
  }
  const message = Array.isArray(body.message) ? body.message.join('; ') : (body.message ?? res.statusText);
  return new ApiError(res.status, body.code ?? null, message, body.errors ?? []);
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: headers(method, body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'network error');
  }
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && !path.startsWith('session')) onUnauthorized();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A query string from the set values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Uploads files for an import with upload progress (fetch reports none). */
export function uploadImport(
  files: Array<{ file: File; name: string }>,
  onProgress: (fraction: number) => void,
): Promise<{ batchId: number }> {
  const form = new FormData();
  for (const { file, name } of files) form.append('files', file, name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', 'imports');
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'network error'));
    xhr.onload = () => {
      let body: { code?: string; message?: string; batchId?: number } = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // leave empty
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as { batchId: number });
      else {
        if (xhr.status === 401) onUnauthorized();
        reject(new ApiError(xhr.status, body.code ?? null, String(body.message ?? xhr.statusText)));
      }
    };
    xhr.send(form);
  });
}

// --- the API's shapes, as far as the page reads them ---

export interface SessionState {
  auth: 'open' | 'token';
  signedIn: boolean;
  csrfToken: string | null;
}

export interface Warning {
  code: string;
  message: string;
  path: string | null;
  recordIndex?: number | null;
  file?: string;
}

export type RecordData = Record<string, unknown>;

export interface PublicRecord extends RecordData {
  id: number;
  version: number;
  formType: string;
  source: { documentId: number | null; sha256: string | null; file: string | null; formIndex: number | null };
  warnings?: Warning[];
}

export interface RecordPage {
  items: PublicRecord[];
  total: number;
  limit: number;
  offset: number;
  totals?: { amount: string | null };
}

export interface RecordVersion {
  version: number;
  origin: string;
  data: RecordData;
  createdAt: string;
  /** Field changes against the version before, where the API reports them; the page diffs otherwise. */
  changes?: Array<{ path: string; op?: string; before?: unknown; after?: unknown }>;
}

export interface BatchProgress {
  batchId: number;
  status: 'queuing' | 'running' | 'completed';
  total: number;
  pending: number;
  done: number;
  failed: number;
  note: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** Exports only: whether the files can still be downloaded. */
  filesAvailable?: boolean;
}

export interface ImportReport extends BatchProgress {
  records: number;
  newRecords: number;
  updatedRecords: number;
  updatedRecordIds: number[];
  /** Returned forms not applied because they clash with edits made since they went out. */
  conflicts: Array<{
    file: string;
    formIndex: number;
    recordId: number;
    conflictId: number;
    paths: string[];
  }>;
  failures: Array<{ file: string; code: string | null; reason: string | null }>;
  warnings: Warning[];
}

export interface ExportReport extends BatchProgress {
  failures: Array<{ recordId: number | null; code: string | null; reason: string | null }>;
}

export interface BatchPage {
  items: BatchProgress[];
  total: number;
}

export type { DefinitionSummary } from '@formbridge/definitions/summary';
