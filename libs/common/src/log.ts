export type LogLevel = 'error' | 'warn' | 'log' | 'debug';
export type LogFormat = 'text' | 'json';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

const RANK: Record<LogLevel, number> = { error: 0, warn: 1, log: 2, debug: 3 };

export interface Log {
  error(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  log(message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
}

export interface LogSettings {
  level: LogLevel;
  format: LogFormat;
  /** Where lines go; stderr unless a test or a host says otherwise. */
  write?: (line: string) => void;
}

const quote = (v: unknown) => {
  const s = String(v);
  return /[\s="]/.test(s) ? JSON.stringify(s) : s;
};

/** One line per event: `time LEVEL [context] message key=value…`, or one JSON object. */
export function formatLogLine(
  format: LogFormat,
  level: LogLevel,
  context: string,
  message: string,
  fields: LogFields = {},
): string {
  const time = new Date().toISOString();
  const flat = message.replace(/\s*\n\s*/g, ' ');
  if (format === 'json') return JSON.stringify({ time, level, context, msg: flat, ...fields });
  const extra = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}=${quote(v)}`)
    .join('');
  return `${time} ${level.toUpperCase().padEnd(5)} [${context}] ${flat}${extra}`;
}

/** A structured one-line logger with a level; every FormBridge process logs through these. */
export function createLog(context: string, settings: LogSettings): Log {
  const write = settings.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const at =
    (level: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (RANK[level] <= RANK[settings.level])
        write(formatLogLine(settings.format, level, context, message, fields));
    };
  return { error: at('error'), warn: at('warn'), log: at('log'), debug: at('debug') };
}
