import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import { BulkContext, QueueName } from '@formbridge/queue';
import { hasToken } from './api-token.guard';

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
    const token = this.ctx.config.FORMBRIDGE_API_TOKEN;
    const guard = (req: Request, res: Response, next: NextFunction) => {
      if (!token || hasToken(req.headers.authorization, token)) return next();
      res.status(401).json({ statusCode: 401, message: 'send Authorization: Bearer <FORMBRIDGE_API_TOKEN>' });
    };
    app.use(DASHBOARD_PATH, guard, serverAdapter.getRouter());
  }
}
