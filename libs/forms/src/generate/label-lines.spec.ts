import { labelLines, wordBreaks } from './label-lines';

const em = (s: string) => [...s].length;

describe('label lines', () => {
  it('breaks only between words, keeping one-character affixes and bracketed units with their word', () => {
    const cut = (label: string) => {
      const at = wordBreaks(label);
      return [0, ...at].map((c, k) => label.slice(c, at[k])).join('|');
    };
    expect(cut('项目支出实施期')).toBe('项目|支出|实施期');
    expect(cut('服务对象满意度指标')).toBe('服务|对象|满意度|指标');
    expect(cut('可持续影响指标')).toBe('可持续|影响|指标');
    expect(cut('项目资金（万元）')).toBe('项目|资金|（万元）');
    expect(cut('专项立项依据')).toBe('专项立项|依据');
  });

  it('fills each line as far as whole words go, and leaves a label that fits alone', () => {
    expect(labelLines('实施期绩效目标', 6, em)).toEqual(['实施期绩效', '目标']);
    expect(labelLines('偏差原因分析及改进措施', 4, em)).toEqual(['偏差原因', '分析及', '改进措施']);
    expect(labelLines('一级指标', 4, em)).toEqual(['一级指标']);
    expect(labelLines('满意度指标', 2, em)).toEqual(['满意度', '指标']);
  });
});
