export * from './definition.types';
export * from './registry';
