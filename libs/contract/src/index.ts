export * from './records';
export * from './schema';
export * from './validate';
