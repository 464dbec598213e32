import 'reflect-metadata';
export * from './records';
export * from './validate';
export * from './validators';
export * from './record-diff';
