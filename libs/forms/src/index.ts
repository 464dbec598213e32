export * from './warnings';
export * from './text';
export * from './layout';
export * from './extract';
export * from './checks';
export * from './form-parser';
export * from './tagged-layer';
export * from './generate';
