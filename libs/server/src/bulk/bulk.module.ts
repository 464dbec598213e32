import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { createLog } from '@formbridge/common';
import { loadConfig } from '@formbridge/config';
import { BulkContext, QueueName } from '@formbridge/queue';
import { AccessControl } from '../auth/access';
import { SessionController } from '../auth/session.controller';
import { SessionStore } from '../auth/session-store';
import { ApiTokenGuard } from './api-token.guard';
import { QueueDashboard } from './queue-dashboard';

const WORKER_QUEUES = Symbol('WORKER_QUEUES');
const CLEANUP_EVERY_MS = 6 * 3600 * 1000;

export interface BulkModuleOptions {
  /** Queues this service consumes (when WORKERS_ENABLED). */
  workers: QueueName[];
  /** This service may run generate jobs (on its GeneratePool). */
  generate?: boolean;
}

/** Starts the service's workers once the app is up, and closes everything on shutdown. */
@Injectable()
class BulkLifecycle implements OnApplicationBootstrap, OnModuleDestroy {
  private cleanupTimer?: NodeJS.Timeout;

  constructor(
    private readonly ctx: BulkContext,
    @Inject(WORKER_QUEUES) private readonly queues: QueueName[],
  ) {}

  onApplicationBootstrap(): void {
    if (!this.ctx.config.WORKERS_ENABLED || !this.queues.length) return;
    this.ctx.startWorkers(this.queues);
    // Retention runs where workers run: soon after start, then every few hours. Several services
    // running it at once is harmless (each deletion checks again).
    const cleanup = () =>
      void this.ctx.cleanup().catch((err: Error) => this.ctx.log.warn(`cleanup failed: ${err.message}`));
    this.cleanupTimer = setTimeout(() => {
      cleanup();
      this.cleanupTimer = setInterval(cleanup, CLEANUP_EVERY_MS).unref();
    }, 60_000).unref();
  }

  /** Workers stop taking jobs and finish the running ones before the connections close. */
  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.cleanupTimer);
    await this.ctx.close();
  }
}

/**
 * Storage, queues and workers for a service: one BulkContext (the same wiring the CLI uses),
 * the API token guard (token or the review page's sign-in, /session) on every route but /health,
 * and the Bull Board dashboard at /queues.
 */
@Global()
@Module({})
export class BulkModule {
  static forRoot(options: BulkModuleOptions): DynamicModule {
    return {
      module: BulkModule,
      providers: [
        {
          provide: BulkContext,
          useFactory: () => {
            const config = loadConfig();
            return BulkContext.open(config, {
              generate: options.generate,
              log: createLog('queue', { level: config.LOG_LEVEL ?? 'log', format: config.LOG_FORMAT }),
            });
          },
        },
        {
          provide: AccessControl,
          inject: [BulkContext],
          useFactory: ({ config, redis }: BulkContext) =>
            new AccessControl(
              config.FORMBRIDGE_API_TOKEN,
              new SessionStore(redis, config.QUEUE_PREFIX, config.SESSION_TTL_MINUTES * 60_000),
            ),
        },
        { provide: WORKER_QUEUES, useValue: options.workers },
        BulkLifecycle,
        QueueDashboard,
        { provide: APP_GUARD, useClass: ApiTokenGuard },
      ],
      controllers: [SessionController],
      exports: [BulkContext, AccessControl],
    };
  }
}
