import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Child, sleep, waitFor } from './processes';
import { ROOT, parserServiceArgs } from './paths';

export interface HttpRun {
  /** Which database the service ran on. */
  setUp: 'embedded' | 'postgres';
  file: string;
  requests: number;
  connections: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  errors: number;
  non2xx: number;
  /** GET /health, asked every 50 ms during the load: how long it took to answer. */
  healthMs: { p50: number; p99: number; max: number; samples: number };
  /** Peak RSS of the service over its start and the load. */
  peakRssMB: number;
  /** RSS once started, before the first request. */
  idleRssMB: number;
}

export interface HttpOptions {
  requests: number;
  connections: number;
  env: Record<string, string>;
  setUp: HttpRun['setUp'];
  tmp: string;
  log: (line: string) => void;
}

const FILE = 'fixtures/legacy/word/seed-all.docx';

/** A port nobody listens on now (the kernel picks it). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject()));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function quantiles(values: number[]): { p50: number; p99: number; max: number } {
  const s = [...values].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { p50: round1(at(0.5)), p99: round1(at(0.99)), max: round1(s[s.length - 1] ?? 0) };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The parser service as built (`npm run start:parser`), on loopback: `requests` POST /parse of the
 * four-form file from `connections` connections at once (autocannon, in this process), while
 * GET /health is asked every 50 ms on a connection of its own.
 */
export async function benchHttp(o: HttpOptions): Promise<HttpRun> {
  const port = await freePort();
  const service = new Child(
    `parser service (${o.setUp})`,
    parserServiceArgs(),
    { ...o.env, PARSER_PORT: String(port), HOST: '127.0.0.1' },
    o.tmp,
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      async () => {
        if (!service.alive) throw new Error(`the parser service exited: ${service.stderr().slice(-2000)}`);
        return (await get(`${base}/health`)) >= 0;
      },
      180_000,
      'the parser service',
    );
    await sleep(500);
    const idleRssMB = service.sample()?.rssMB ?? 0;
    const file = readFileSync(join(ROOT, FILE));
    const boundary = '----formbridgebench';
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="seed-all.docx"\r\n` +
          'Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document\r\n\r\n',
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    o.log(`HTTP load on the ${o.setUp} service: ${o.requests} POST /parse, ${o.connections} at once`);
    const health: number[] = [];
    let loading = true;
    const prober = (async () => {
      while (loading) {
        const t = performance.now();
        health.push(await get(`${base}/health`).catch(() => 10_000));
        service.sample();
        await sleep(Math.max(0, 50 - (performance.now() - t)));
      }
    })();
    const result = await autocannon({
      url: `${base}/parse`,
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body,
      connections: o.connections,
      amount: o.requests,
      timeout: 30,
    });
    loading = false;
    await prober;
    await service.stop();
    return {
      setUp: o.setUp,
      file: FILE,
      requests: result.requests.total,
      connections: o.connections,
      requestsPerSecond: round1(result.requests.total / result.duration),
      latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      healthMs: { ...quantiles(health), samples: health.length },
      peakRssMB: round1(service.peakRssMB()),
      idleRssMB: round1(idleRssMB),
    };
  } finally {
    await service.stop();
  }
}
