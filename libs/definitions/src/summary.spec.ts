import { editionForYear } from './summary';

describe('editionForYear', () => {
  const editions = [
    { edition: '2019', years: { from: 2019, to: 2021 } },
    { edition: '2022', years: { from: 2022 } },
    { edition: '2024-draft', years: { from: 2030, to: 2030 } },
  ];
  const of = (year: number) => editionForYear(editions, year)?.edition;

  it('is the newest edition whose years include the year', () => {
    expect([2019, 2021, 2022, 2029, 2030].map(of)).toEqual(['2019', '2019', '2022', '2022', '2024-draft']);
  });

  it('past the last range, the newest that started by then; before the first, the newest of all', () => {
    const closed = [
      { edition: '2019', years: { from: 2019, to: 2021 } },
      { edition: '2022', years: { from: 2022, to: 2025 } },
    ];
    expect(editionForYear(closed, 2027)?.edition).toBe('2022');
    expect(editionForYear(closed, 2015)?.edition).toBe('2022');
    expect(of(2015)).toBe('2024-draft');
    expect(editionForYear([], 2023)).toBeUndefined();
  });
});
