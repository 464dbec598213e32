import { Definition, pathLabel } from '../form/definition';
import { t } from '../i18n';
import { Change } from '../paths';

export function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function ChangeTable({
  changes,
  def,
  caption,
}: {
  changes: Change[];
  def?: Definition;
  caption?: string;
}) {
  return (
    <table class="data diff">
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{t('detail.field')}</th>
          <th scope="col">{t('detail.before')}</th>
          <th scope="col">{t('detail.after')}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path}>
            <th scope="row">{pathLabel(def, c.path)}</th>
            <td class="before">
              <del>{show(c.before)}</del>
            </td>
            <td class="after">
              <ins>{show(c.after)}</ins>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
