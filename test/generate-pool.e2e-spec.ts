import { join } from 'node:path';
import type * as Threads from 'node:worker_threads';
import type * as Common from '@formbridge/common';
import type * as Definitions from '@formbridge/definitions';
import type * as Forms from '@formbridge/forms';
import { FIXTURES, expectedBeside, golden, goldenRecords } from './support/golden';

// The pool starts its threads from the build (a thread runs plain JavaScript), so this suite uses
// the built library, as the services and the CLI do; test/global-setup.js builds it. The direct
// calls it compares with come from the same build, so errors share their classes.
/* eslint-disable @typescript-eslint/no-require-imports */
const { ErrorCode, FormBridgeError } = require('../dist/libs/common/src') as typeof Common;
const { DefinitionRegistry, definitions } = require('../dist/libs/definitions/src') as typeof Definitions;
const { DocxGenerator, GeneratePool, generateDocx, stampFor } =
  require('../dist/libs/forms/src') as typeof Forms;
/* eslint-enable @typescript-eslint/no-require-imports */

type Rec = Record<string, unknown>;
const FORM_TYPE = 'special-fund-performance-target';
const seeds = goldenRecords();
const extras = [golden('extra-5'), golden('extra-6')];
/** The province's 2022 edition of 附件2-1, as the fixtures hold its records. */
const records2022 = ['word/special-fund-2023.docx', 'wps/special-fund-2022.docx'].map(
  (f) => expectedBeside<{ records: Rec[] }>(join(FIXTURES, 'editions'), f).records[0],
);
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** What a call throws, or its promise rejects with: the direct call's and the pool's alike. */
async function failureOf(f: () => unknown): Promise<Common.FormBridgeError> {
  try {
    await f();
  } catch (err) {
    return err as Common.FormBridgeError;
  }
  throw new Error('expected the render to fail');
}

describe('GeneratePool (rendering on worker threads)', () => {
  let pool: Forms.GeneratePool;
  beforeAll(() => {
    pool = new GeneratePool(2);
  });
  afterAll(() => pool.close());

  it('renders every golden record and both editions, many at once, to the bytes of the direct call', async () => {
    const inputs: Rec[][] = [
      ...[...seeds, ...extras, ...records2022].map((r) => [r]),
      seeds,
      [...records2022, seeds[0]],
    ];
    const rendered = await Promise.all(inputs.map((records) => pool.render(records)));
    rendered.forEach((bytes, i) => {
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(same(bytes, generateDocx(inputs[i]))).toBe(true);
    });
    // Given as the JSON text of the array (an export's records, as the database gives them), the
    // thread parses it: the same bytes, options applied, and an invalid record refused alike.
    const stamp = stampFor({ id: 9, version: 2, formType: FORM_TYPE }, { id: 'test', secret: 'secret' });
    for (const records of inputs) {
      expect(same(await pool.render(JSON.stringify(records)), generateDocx(records))).toBe(true);
      expect(
        same(
          await pool.render(JSON.stringify([records[0]]), { stamps: [stamp] }),
          generateDocx([records[0]], { stamps: [stamp] }),
        ),
      ).toBe(true);
    }
    const invalid = JSON.stringify([{ ...seeds[0], year: 'next year' }]);
    expect((await failureOf(() => pool.render(invalid))).code).toBe(ErrorCode.InvalidRecord);
  });

  it('applies the options it is given (record ids, return stamps) inside the thread', async () => {
    const recordIds = seeds.map((_r, i) => `record-${i + 1}`);
    const stamps = seeds.map((r, i) =>
      stampFor({ id: i + 1, version: 3, formType: String(r.formType) }, { id: 'deployment-1', secret: 's' }),
    );
    for (const options of [{ recordIds }, { stamps }]) {
      const bytes = await pool.render(seeds, options);
      expect(same(bytes, generateDocx(seeds, options))).toBe(true);
      expect(same(bytes, generateDocx(seeds))).toBe(false);
    }
  });

  it.each([
    ['an invalid record', () => [{ ...seeds[0], totalFunds: '12.5', projectName: '  ' }], undefined],
    ['an invalid second record', () => [seeds[0], { ...seeds[3], budget: { total: 1 } }], undefined],
    ['an unknown form type', () => [{ formType: 'tax-return' }], undefined],
    ['no record', () => [], undefined],
    ['one record id for two records', () => seeds.slice(0, 2), { recordIds: ['only-one'] }],
  ])(
    'fails on %s with the error of the direct call: its class, code, message and field errors',
    async (_what, records, options) => {
      const direct = await failureOf(() => generateDocx(records(), options));
      const err = await failureOf(() => pool.render(records(), options));
      expect(direct).toBeInstanceOf(FormBridgeError);
      expect(err).toBeInstanceOf(FormBridgeError);
      expect(err).toMatchObject({
        name: direct.name,
        code: direct.code,
        message: direct.message,
        details: direct.details,
      });
    },
  );

  it('renders with the definitions it is given, as a DocxGenerator of them does', async () => {
    // Only the 2019 edition of 附件2-1: a 2023 record is drawn in it.
    const registry = new DefinitionRegistry(
      definitions().definitions.filter((d) => !(d.formType === FORM_TYPE && d.edition === '2022')),
    );
    const direct = new DocxGenerator(registry);
    const custom = new GeneratePool(1, registry);
    try {
      const bytes = await custom.render([records2022[0]]);
      expect(same(bytes, direct.generate([records2022[0]]))).toBe(true);
      expect(same(bytes, generateDocx([records2022[0]]))).toBe(false);

      const departmentOnly = new DefinitionRegistry(
        definitions().definitions.filter((d) => d.formType === 'department-overall-performance-target'),
      );
      const narrow = new GeneratePool(1, departmentOnly);
      try {
        const err = await failureOf(() => narrow.render([seeds[0]]));
        const expected = await failureOf(() => new DocxGenerator(departmentOnly).generate([seeds[0]]));
        expect(expected.code).toBe(ErrorCode.InvalidRecord);
        expect(err).toMatchObject({ code: expected.code, details: expected.details });
        expect(same(await narrow.render([seeds[3]]), generateDocx([seeds[3]]))).toBe(true);
      } finally {
        await narrow.close();
      }
    } finally {
      await custom.close();
    }
  });

  it('fails only the render of a thread killed mid-task, and replaces the thread', async () => {
    // Watch the threads the pool starts, to kill one of them (the module itself, not a copy).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require('node:worker_threads') as { Worker: typeof Threads.Worker };
    const RealWorker = module.Worker;
    const started: Threads.Worker[] = [];
    module.Worker = class extends RealWorker {
      constructor(...args: ConstructorParameters<typeof Threads.Worker>) {
        super(...args);
        started.push(this);
      }
    };
    const fresh = new GeneratePool(2);
    try {
      await Promise.all([fresh.render([seeds[0]]), fresh.render([seeds[1]])]);
      expect(started).toHaveLength(2);
      // Both threads idle: the long render goes to the first, the short one to the second.
      const long = fresh.render(Array.from({ length: 400 }, (_r, i) => seeds[i % seeds.length]));
      const short = fresh.render([seeds[2]]);
      const longFails = expect(long).rejects.toThrow('the generate thread stopped');
      await started[0].terminate();
      await longFails;
      expect(same(await short, generateDocx([seeds[2]]))).toBe(true);

      const after = await Promise.all(seeds.map((r) => fresh.render([r])));
      after.forEach((bytes, i) => expect(same(bytes, generateDocx([seeds[i]]))).toBe(true));
      expect(started).toHaveLength(3);
    } finally {
      module.Worker = RealWorker;
      await fresh.close();
    }
  });

  it('renders on the threads it started when warmed, starting none for the work', async () => {
    const warmed = new GeneratePool(2);
    try {
      warmed.warm();
      expect(warmed.threadCount).toBe(2);
      const rendered = await Promise.all(seeds.map((r) => warmed.render([r])));
      expect(warmed.threadCount).toBe(2);
      rendered.forEach((bytes, i) => expect(same(bytes, generateDocx([seeds[i]]))).toBe(true));
    } finally {
      await warmed.close();
    }
  });

  it('fails the renders still waiting when closed, and refuses work after', async () => {
    const closing = new GeneratePool(1);
    const pending = [closing.render(seeds), closing.render([seeds[0]])];
    const failed = Promise.all(pending.map((p) => expect(p).rejects.toThrow('the generate pool was closed')));
    await closing.close();
    await failed;
    await expect(closing.render([seeds[0]])).rejects.toThrow('the generate pool is closed');
  });
});
