export * from './env.dto';
export * from './config';
