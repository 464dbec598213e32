export * from './bulk.module';
export * from './api-token.guard';
export * from './queue-dashboard';
