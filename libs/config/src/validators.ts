/* eslint-disable @typescript-eslint/no-require-imports */
import type * as ClassValidator from 'class-validator';

/**
 * The parts of class-validator the settings use, each from its own module of the package.
 * class-validator's index loads every decorator it has, and with them validator.js and
 * libphonenumber-js's metadata: 321 modules, 0.13–0.18 s of every `formbridge` command's and
 * service's start, of which the settings need 27 (docs/bench.md, "Fourteenth look"). They are the
 * same modules the index loads, so what they register is the same registry the services' DTOs
 * use. The package is pinned; a test loads the settings and checks the index stays unloaded.
 */
type CV = typeof ClassValidator;

function part<K extends keyof CV>(path: string, name: K): CV[K] {
  const loaded = require(`class-validator/cjs/${path}`) as Partial<CV>;
  const found = loaded[name];
  if (!found) throw new Error(`class-validator/cjs/${path} has no ${name}`);
  return found as CV[K];
}

export const IsIn = part('decorator/common/IsIn', 'IsIn');
export const IsOptional = part('decorator/common/IsOptional', 'IsOptional');
export const IsInt = part('decorator/typechecker/IsInt', 'IsInt');
export const IsString = part('decorator/typechecker/IsString', 'IsString');
export const Matches = part('decorator/string/Matches', 'Matches');
export const MinLength = part('decorator/string/MinLength', 'MinLength');
export const Max = part('decorator/number/Max', 'Max');
export const Min = part('decorator/number/Min', 'Min');

const Validator = part('validation/Validator', 'Validator');
const getFromContainer = part('container', 'getFromContainer');

/** class-validator's `validateSync(object)`, as its index defines it. */
export function validateSync(object: object): ClassValidator.ValidationError[] {
  return getFromContainer(Validator).validateSync(object);
}
