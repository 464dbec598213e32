export * from './records';
export * from './schema';
export * from './validate';
export * from './record-diff';
