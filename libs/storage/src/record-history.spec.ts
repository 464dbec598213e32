import { diffRecords } from '@formbridge/contract';
import { rebuildVersions } from './record-history';

describe('rebuilding versions from the current record', () => {
  const v1 = { totalFunds: '1.00', basis: 'a' };
  const v2 = { totalFunds: '2.00', basis: 'a' };
  const v3 = { totalFunds: '2.00', basis: 'b' };

  it('undoes each version’s changes in turn, newest first', () => {
    const rows = [
      { version: 1, changes: [], data: null },
      { version: 2, changes: diffRecords(v1, v2), data: null },
      { version: 3, changes: diffRecords(v2, v3), data: null },
    ];
    const out = rebuildVersions(v3, rows);
    expect([1, 2, 3].map((v) => out.get(v)?.data)).toEqual([v1, v2, v3]);
    expect(out.get(3)?.changes).toEqual([{ path: '$.basis', op: 'change', before: 'a', after: 'b' }]);
  });

  it('takes rows written before versions kept diffs as they are, and works out their changes', () => {
    const rows = [
      { version: 1, changes: null, data: v1 },
      { version: 2, changes: null, data: v2 },
      { version: 3, changes: diffRecords(v2, v3), data: null },
    ];
    const out = rebuildVersions(v3, rows);
    expect([1, 2, 3].map((v) => out.get(v)?.data)).toEqual([v1, v2, v3]);
    expect(out.get(2)?.changes).toEqual([
      { path: '$.totalFunds', op: 'change', before: '1.00', after: '2.00' },
    ]);
    expect(out.get(1)?.changes).toEqual([]);
  });
});
