export * from './domain-exception.filter';
export * from './health.controller';
export * from './bootstrap';
export * from './bulk';
export * from './service-logger';
export * from './service-process';
export * from './content-disposition';
export * from './record-schemas';
