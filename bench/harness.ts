// The Node side of the benches: the timing (timing.ts) and what machine it ran on.
import { cpus } from 'node:os';

export { type Timed, time, median, compare } from './timing.js';

export function machine(): Record<string, string | number> {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}
