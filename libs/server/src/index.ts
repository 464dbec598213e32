export * from './domain-exception.filter';
export * from './health.controller';
export * from './bootstrap';
export * from './bulk';
export * from './auth';
export * from './web/web-app';
export * from './content-disposition';
export * from './record-schemas';
