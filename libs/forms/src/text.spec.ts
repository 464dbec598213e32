import { cleanText, labelKey, normaliseAmount, normaliseDate, stripNumbering, toList } from './text';

describe('normalisation rules of the record contract', () => {
  it('trims ASCII, full-width and no-break spaces, drops empty lines, keeps inner text exact', () => {
    expect(cleanText('\u3000 基层政权和社区建设\u3000\u00a0')).toBe('基层政权和社区建设');
    expect(cleanText('1. 第一\n\n\u3000\n2. 第二　')).toBe('1. 第一\n2. 第二');
    expect(cleanText('“两化两体系”（湘组〔2015〕19号）')).toBe('“两化两体系”（湘组〔2015〕19号）');
    expect(cleanText('\u3000 \n ')).toBeNull();
    expect(cleanText('e\u0301')).toBe('é');
  });

  it('compares labels without spaces, breaks, bracket width or a trailing colon', () => {
    expect(labelKey('专项实施  进度计划')).toBe(labelKey('专项实施进度计划'));
    expect(labelKey('专项立项\n依据')).toBe(labelKey('专项立项依据'));
    expect(labelKey('资金总额(万元)：')).toBe(labelKey('资金总额（万元）'));
  });

  it.each([
    ['226.00万元', '226.00'],
    ['25万\u3000', '25.00'],
    ['0', '0.00'],
    ['844.93', '844.93'],
    ['1,234.5', '1234.50'],
    ['123456789.99', '123456789.99'],
    ['2,260,000元', '226.00'],
    ['１２.５万元', '12.50'],
    ['226.00（万元）', '226.00'],
    ['2,260,000(元)', '226.00'],
  ])('amount %s → %s', (raw, want) => {
    expect(normaliseAmount(raw)).toEqual({ value: want, ok: true });
  });

  it('keeps an amount it cannot read as written and says so', () => {
    expect(normaliseAmount('约二十万')).toEqual({ value: '约二十万', ok: false });
    expect(normaliseAmount('1.234')).toEqual({ value: '1.234', ok: false });
    expect(normaliseAmount('  ')).toEqual({ value: null, ok: true });
  });

  it.each([
    ['2019.1\u3000', '2019-01'],
    ['2019年1月', '2019-01'],
    ['2019-01', '2019-01'],
    ['2019/1', '2019-01'],
    ['2019年12月', '2019-12'],
    ['2019年3月15日', '2019-03-15'],
    ['2019.04.02', '2019-04-02'],
    ['20190402', '2019-04-02'],
    ['二〇一九年三月十五日', '2019-03-15'],
    ['二○一九年十二月', '2019-12'],
    ['二〇二〇年二月二十九日', '2020-02-29'],
  ])('date %s → %s', (raw, want) => {
    expect(normaliseDate(raw)).toEqual({ value: want, ok: true });
  });

  it('refuses impossible dates and bare months where a full date is required', () => {
    expect(normaliseDate('2019年2月30日').ok).toBe(false);
    expect(normaliseDate('2019年13月').ok).toBe(false);
    expect(normaliseDate('2019年3月', true).ok).toBe(false);
    expect(normaliseDate('全年')).toEqual({ value: '全年', ok: false });
  });

  it('drops presentation numbering from list items but not numbers that are data', () => {
    const prefixes = ['目标', '指标'];
    expect(
      toList('1.负责综合协调\n2、负责会务\n（3）负责文件\n目标1：保障运转\n指标2：总成本\n①其他', prefixes),
    ).toEqual(['负责综合协调', '负责会务', '负责文件', '保障运转', '总成本', '其他']);
    expect(stripNumbering('2个村的村干部', prefixes)).toBe('2个村的村干部');
    expect(stripNumbering('1.5万元的补助', prefixes)).toBe('1.5万元的补助');
    expect(stripNumbering('2019年完成', prefixes)).toBe('2019年完成');
  });
});
