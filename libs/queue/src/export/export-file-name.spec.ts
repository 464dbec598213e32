import { exportFileName, pdfFileName } from './export-file-name';

describe('exportFileName', () => {
  it('names a file in Chinese by year, form title, project or department, and record id', () => {
    expect(
      exportFileName(42, {
        year: 2020,
        formType: 'special-fund-performance-target',
        projectName: '基层政权和社区建设',
      }),
    ).toBe('2020年_专项资金绩效目标申报表_基层政权和社区建设_r42.docx');
    expect(
      exportFileName(
        7,
        { year: 2019, formType: 'department-overall-performance-target', departmentName: '合江街道' },
        'pdf',
      ),
    ).toBe('2019年_部门整体支出绩效目标申报表_合江街道_r7.pdf');
    expect(pdfFileName('2019年_表_r7.docx')).toBe('2019年_表_r7.pdf');
  });

  it('never yields a path or a name Windows refuses: separators, reserved characters, control characters, trailing dots', () => {
    const name = exportFileName(1, {
      year: 2019,
      formType: 'special-fund-performance-target',
      projectName: '../../etc/passwd\u0000a:b*c?<d>|"e". ',
    });
    expect(name).toBe('2019年_专项资金绩效目标申报表__.._etc_passwd_a_b_c_d_e__r1.docx');
    expect(name).not.toMatch(/[\\/:*?"<>|\u0000-\u001f]/);
    expect(exportFileName(2, { projectName: '   ' })).toBe('无年度_表_r2.docx');
    expect(
      exportFileName(3, { year: 2019, formType: 'special-fund-performance-target', projectName: 'CON' }),
    ).toBe('2019年_专项资金绩效目标申报表_CON_r3.docx');
  });
});
