export * from './access';
export * from './session-store';
export * from './access.middleware';
export * from './session.controller';
