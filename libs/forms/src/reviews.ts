import type { CompiledDefinition } from './compiled-definition';
import { CHINESE_DATE, EMBEDDED_DATE, arabicDate, cleanText, normaliseDate } from './text';

export interface Review {
  authority: string;
  opinion: string | null;
  date: string | null;
}

const DATE_ONCE = new RegExp(EMBEDDED_DATE.source, 'u');

/** A review cell: `同意。（盖章）2019年4月2日` → opinion `同意。`, date `2019-04-02`. */
export function reviewOf(c: CompiledDefinition, authority: string, raw: string): Review {
  let text = c.stripBoilerplate(raw.normalize('NFC'));
  let date: string | null = null;
  const m = EMBEDDED_DATE.exec(text.normalize('NFKC'));
  const cn = m ? null : CHINESE_DATE.exec(text);
  const written = m ? `${m[1]}年${m[2]}月${m[3]}日` : cn?.[3] !== undefined ? arabicDate(cn) : undefined;
  if (written) {
    const r = normaliseDate(written, true);
    if (r.ok) {
      date = r.value;
      // The date may be written with spaces between its parts; drop it from the opinion text.
      text = m ? text.replace(DATE_ONCE, ' ') : text.replace(CHINESE_DATE, ' ');
    }
  }
  return { authority, opinion: cleanText(text), date };
}
