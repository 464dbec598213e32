import Docxtemplater from 'docxtemplater';
import { Packer } from 'docx';
import PizZip from 'pizzip';
import { DocxForm } from './docx-form';
import { RecordSource, TemplateSource, tagOf } from './form-source';

/**
 * Baseline 2 of issue 5: docxtemplater filling a template of the same form. The template is
 * drawn once at start with the npm `docx` baseline, placeholders instead of values and a row
 * loop for each grid and the reviews; each record is then rendered the way docxtemplater's
 * documentation shows (PizZip over the template bytes, render, generate with DEFLATE).
 * Indicator rows come out without their vertical merges: a plain template cannot merge rows it
 * has not seen yet, so this baseline draws slightly less than ours.
 */
export class TemplateForm {
  private constructor(
    private readonly form: DocxForm,
    readonly template: Buffer,
  ) {}

  static async create(form: DocxForm): Promise<TemplateForm> {
    return new TemplateForm(form, await Packer.toBuffer(form.document(new TemplateSource())));
  }

  render(record: object): Buffer {
    const doc = new Docxtemplater(new PizZip(this.template), { paragraphLoop: true, linebreaks: true });
    doc.render(this.data(record as Record<string, unknown>));
    return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' }) as Buffer;
  }

  /** The template's data for one record, formatted as the docx baseline prints it. */
  data(record: Record<string, unknown>): Record<string, unknown> {
    const { def } = this.form;
    const source = new RecordSource(def, record);
    const data: Record<string, unknown> = {
      attachmentLabel: source.lines('attachmentLabel', 'text').join(''),
      year: source.lines('year', 'text').join(''),
    };
    for (const f of def.fields) {
      const tag = tagOf(f.path);
      if (f.kind === 'cell' || f.kind === 'line') {
        if (f.type === 'choice') {
          for (const o of f.options ?? [])
            data[`${tag}_${tagOf(o.value)}`] = (source.box(f.path, o.value) as { checked: boolean }).checked
              ? '☑'
              : '☐';
        } else {
          data[tag] = source.lines(f.path, f.type).join('\n');
        }
      } else if (f.kind === 'keyed') {
        for (const k of f.keys)
          data[tagOf(`${f.path}.${k.path}`)] = source.lines(`${f.path}.${k.path}`, k.type).join(' ');
      } else if (f.kind === 'grid') {
        data[tag] = source
          .grid(f, [])
          .map((r) => Object.fromEntries(Object.entries(r.cells).map(([k, lines]) => [k, lines.join('\n')])));
      } else if (f.kind === 'reviews') {
        data[tag] = source
          .reviews(f)
          .map((r) => ({ authority: r.authority, opinion: r.opinion.join('\n'), date: r.date }));
      }
    }
    return data;
  }
}
