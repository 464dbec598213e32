import type { LoggerService } from '@nestjs/common';
import { Log, LogLevel, createLog } from '@formbridge/common';
import type { EnvDto } from '@formbridge/config';

/** Nest's start-up chatter (modules loaded, each route mapped) is debug detail, not news. */
const CHATTY = new Set([
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
  'NestFactory',
  'NestApplication',
]);

/** Nest's logger, writing FormBridge's one-line structured format at LOG_LEVEL (default `log`). */
export class ServiceLogger implements LoggerService {
  private readonly logs = new Map<string, Log>();

  constructor(private readonly config: Pick<EnvDto, 'LOG_LEVEL' | 'LOG_FORMAT'>) {}

  of(context: string): Log {
    let log = this.logs.get(context);
    if (!log) {
      log = createLog(context, { level: this.config.LOG_LEVEL ?? 'log', format: this.config.LOG_FORMAT });
      this.logs.set(context, log);
    }
    return log;
  }

  private write(level: LogLevel, message: unknown, params: unknown[]): void {
    const context = typeof params[params.length - 1] === 'string' ? (params.pop() as string) : 'app';
    const text = message instanceof Error ? message.message : String(message);
    // Nest passes a stack as the first extra argument of error(): keep it at debug level.
    const stack = params.find((p): p is string => typeof p === 'string' && p.includes('\n    at '));
    const effective = level === 'log' && CHATTY.has(context) ? 'debug' : level;
    this.of(context)[effective](text);
    if (stack) this.of(context).debug(stack);
  }

  log(message: unknown, ...params: unknown[]): void {
    this.write('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
}
