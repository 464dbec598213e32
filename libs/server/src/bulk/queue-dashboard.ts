import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BulkContext, QueueName } from '@formbridge/queue';
import { tokenMiddleware } from '../bootstrap';

export const DASHBOARD_PATH = '/queues';

/** Bull Board at /queues, behind the same API token as the rest of the service. */
@Injectable()
export class QueueDashboard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly ctx: BulkContext,
  ) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter?.getInstance<{ use: (path: string, ...h: unknown[]) => void }>();
    if (!app) return;
    const serverAdapter = new ExpressAdapter();
    serverAdapter.setBasePath(DASHBOARD_PATH);
    createBullBoard({
      queues: Object.values(QueueName).map((name) => new BullMQAdapter(this.ctx.queue.queue(name))),
      serverAdapter,
    });
    app.use(DASHBOARD_PATH, tokenMiddleware(this.ctx.config.FORMBRIDGE_API_TOKEN), serverAdapter.getRouter());
  }
}
