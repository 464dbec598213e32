export * from './errors';
export * from './log';
export * from './outage';
export * from './tuned-process';
export * from './thread-name';
export * from './small-files';
export * from './waits';
