export * from './definition.types';
export * from './registry';
export * from './filing-identity';
