import { exportFileName } from './export-file-name';

describe('exportFileName', () => {
  it('names a file by year, form type, the subject its definition names, and record id', () => {
    expect(
      exportFileName(42, {
        year: 2020,
        formType: 'special-fund-performance-target',
        projectName: '基层政权和社区建设',
      }),
    ).toBe('2020_special-fund-performance-target_基层政权和社区建设_r42.docx');
    expect(
      exportFileName(7, {
        year: 2019,
        formType: 'department-overall-performance-target',
        departmentName: '合江街道',
      }),
    ).toBe('2019_department-overall-performance-target_合江街道_r7.docx');
  });

  it('never yields a path: separators, control characters and leading dots are neutralised', () => {
    const name = exportFileName(1, {
      year: 2019,
      formType: 'special-fund-performance-target',
      projectName: '../../etc/passwd\u0000a:b*c?',
    });
    expect(name).toBe('2019_special-fund-performance-target__.._etc_passwd_a_b_c__r1.docx');
    expect(name).not.toContain('/');
    expect(exportFileName(2, { projectName: '   ' })).toBe('undated_form_r2.docx');
  });
});
