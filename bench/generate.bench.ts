import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { definitions } from '@formbridge/definitions';
import { FormParser, generateDocx } from '@formbridge/forms';
import { DocxForm } from './baselines/docx-form';
import { TemplateForm } from './baselines/template-form';
import { ROOT } from './paths';
import { Ratio, Spread, TimingPlan, compare, pairedRatio } from './timing';

export interface GenerateCase {
  name: string;
  formType: string;
  ours: Spread;
  docx: Spread;
  docxtemplater: Spread;
  /** Bytes of one output file of each. */
  bytes: { ours: number; docx: number; docxtemplater: number };
  /** How many times faster than each baseline (paired repetitions, see pairedRatio). */
  speedupVsDocx: Ratio;
  speedupVsDocxtemplater: Ratio;
  /**
   * Whether our parser reads each output back as the very record it came from: proof that the
   * baselines draw a form as complete as ours (a baseline that dropped fields would fail here).
   */
  readsBack: { ours: boolean; docx: boolean; docxtemplater: boolean };
}

const CASES = [
  { name: 'special-fund form (seed 1)', golden: 'fixtures/golden/seed-1-special-fund-community.json' },
  { name: 'department-overall form (seed 4)', golden: 'fixtures/golden/seed-4-department-overall.json' },
];

/** One record → one .docx, ours against npm docx built per record and docxtemplater. */
export async function benchGenerate(plan: TimingPlan): Promise<GenerateCase[]> {
  const parser = new FormParser();
  const canonical = (v: unknown) => JSON.stringify(v);
  const readsBack = (bytes: Uint8Array, record: object) => {
    try {
      const { records } = parser.parseDocx(bytes);
      return records.length === 1 && canonical(records[0]) === canonical(record);
    } catch {
      return false;
    }
  };
  const out: GenerateCase[] = [];
  for (const c of CASES) {
    const record = JSON.parse(readFileSync(join(ROOT, c.golden), 'utf8')) as { formType: string };
    const def = definitions().get(record.formType);
    if (!def) throw new Error(`no definition for ${record.formType}`);
    const docxForm = new DocxForm(def);
    const templateForm = await TemplateForm.create(docxForm);
    const sample = {
      ours: generateDocx([record]),
      docx: await docxForm.render(record),
      docxtemplater: templateForm.render(record),
    };
    const t = await compare(
      {
        ours: () => generateDocx([record]),
        docx: () => docxForm.render(record),
        docxtemplater: () => templateForm.render(record),
      },
      plan,
    );
    out.push({
      name: c.name,
      formType: record.formType,
      ours: t.ours,
      docx: t.docx,
      docxtemplater: t.docxtemplater,
      bytes: {
        ours: sample.ours.length,
        docx: sample.docx.length,
        docxtemplater: sample.docxtemplater.length,
      },
      speedupVsDocx: pairedRatio(t.docx, t.ours),
      speedupVsDocxtemplater: pairedRatio(t.docxtemplater, t.ours),
      readsBack: {
        ours: readsBack(sample.ours, record),
        docx: readsBack(sample.docx, record),
        docxtemplater: readsBack(sample.docxtemplater, record),
      },
    });
  }
  return out;
}
