/**
 * `list.map(fn)`, onto one array literal. A `map` result built by V8's builtin and one built by
 * the same call inlined in optimised code have different hidden classes (and an empty literal a
 * third): code optimised on one of them was thrown away at the first of another and compiled
 * again, in every parse and generate thread. Arrays pushed onto this one literal all share the
 * hidden class its allocation site settles on (docs/bench.md, "Thirteenth look").
 */
export function mapList<T, U>(list: readonly T[], fn: (item: T, index: number) => U): U[] {
  const out: U[] = [];
  for (let i = 0; i < list.length; i++) out.push(fn(list[i], i));
  return out;
}

/** A copy of `list` made by mapList: an array of the hidden class mapList's results have. */
export function copyList<T>(list: readonly T[]): T[] {
  return mapList(list, (item) => item);
}
