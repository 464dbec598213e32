export * from './definition.types';
export * from './registry';
export * from './summary';
export * from './filing-identity';
