import { writeFileSync } from 'node:fs';

/**
 * Preloaded (`node --require`) into every process the benchmark starts: on exit it writes the
 * process's peak RSS as the kernel counted it (`maxRSS`, in KB) to the file the benchmark named.
 * It reads nothing else and changes nothing in the process it rides along with.
 */
const file = process.env.FORMBRIDGE_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, maxRssKB: process.resourceUsage().maxRSS }));
    } catch {
      // The benchmark falls back to its own /proc samples.
    }
  });
}
