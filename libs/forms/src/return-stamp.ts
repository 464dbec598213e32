import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WordDocument } from '@formbridge/word';
import { generateDocx } from './generate/docx-generator';
import { LayerProperty, formProperty } from './tagged-layer';

/**
 * What a form generated from a stored record says about where it came from, so that the filled-in
 * form can come back as that record's next version: the deployment (the database's id), the
 * record id, the version it was generated from, and a seal over them and the form type made with
 * the deployment's secret. Without a valid seal a form is never taken as a return: a forged or
 * copied id cannot overwrite someone else's record.
 */
export interface ReturnStamp {
  deployment: string;
  recordId: number;
  version: number;
  formType: string;
  seal: string;
}

export function sealOf(stamp: Omit<ReturnStamp, 'seal'>, secret: string): string {
  return createHmac('sha256', secret)
    .update(`${stamp.deployment}\n${stamp.recordId}\n${stamp.version}\n${stamp.formType}`)
    .digest('hex')
    .slice(0, 32);
}

export function stampFor(
  record: { id: number; version: number; formType: string },
  deployment: { id: string; secret: string },
): ReturnStamp {
  const unsealed = {
    deployment: deployment.id,
    recordId: record.id,
    version: record.version,
    formType: record.formType,
  };
  return { ...unsealed, seal: sealOf(unsealed, deployment.secret) };
}

/** True when the stamp was made by this deployment (its id and its secret). */
export function isOwnStamp(stamp: ReturnStamp, deployment: { id: string; secret: string }): boolean {
  if (stamp.deployment !== deployment.id) return false;
  const expected = Buffer.from(sealOf(stamp, deployment.secret));
  const given = Buffer.from(stamp.seal);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The custom properties a stamped form adds (the document-wide deployment is written once). */
export function stampProperties(form: number, stamp: ReturnStamp): Array<[string, string]> {
  return [
    [formProperty(form, 'RecordId'), String(stamp.recordId)],
    [formProperty(form, 'Version'), String(stamp.version)],
    [formProperty(form, 'Seal'), stamp.seal],
  ];
}

/**
 * The stamps of a document's forms, in document order, read from its custom properties (which
 * Word, WPS and LibreOffice keep on re-save). Only when the document still holds as many forms as
 * it was generated with, each of the listed type, can a stamp be matched to its form; otherwise
 * no form is taken as a return.
 */
export function readStamps(
  doc: WordDocument,
  formTypes: readonly string[],
): Array<ReturnStamp | null> | undefined {
  const props = doc.customProperties;
  const deployment = props[LayerProperty.Deployment];
  if (deployment === undefined) return undefined;
  if (Number(props[LayerProperty.FormCount]) !== formTypes.length) return formTypes.map(() => null);
  return formTypes.map((formType, i) => {
    const k = i + 1;
    const recordId = Number(props[formProperty(k, 'RecordId')]);
    const version = Number(props[formProperty(k, 'Version')]);
    const seal = props[formProperty(k, 'Seal')];
    if (props[formProperty(k, 'Type')] !== formType || !seal) return null;
    if (!Number.isSafeInteger(recordId) || recordId <= 0 || !Number.isSafeInteger(version) || version <= 0)
      return null;
    return { deployment, recordId, version, formType, seal };
  });
}

/** Stored records as one .docx, each form stamped so that it can come back as the record's next version. */
export function generateStoredDocx(
  records: ReadonlyArray<{ id: number; version: number; formType: string; data: object }>,
  deployment: { id: string; secret: string },
): Uint8Array {
  return generateDocx(
    records.map((r) => r.data),
    { stamps: records.map((r) => stampFor(r, deployment)) },
  );
}
