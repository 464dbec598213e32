import { cpus, loadavg, release, totalmem, type } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  os: string;
  memoryGB: number;
  /** 1-minute load average when the run started and when it ended: the machine may be shared. */
  loadAtStart: number;
  loadAtEnd?: number;
}

export function machine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    node: process.version,
    os: `${type()} ${release()}`,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    loadAtStart: round2(loadavg()[0]),
  };
}

export function currentLoad(): number {
  return round2(loadavg()[0]);
}

const round2 = (n: number) => Math.round(n * 100) / 100;
