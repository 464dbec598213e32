import { initial } from './001-initial';

export interface Migration {
  id: string;
  sql: string;
}

/** Applied in order, each once, in one transaction per migration. Never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [{ id: '001-initial', sql: initial }];
