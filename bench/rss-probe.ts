import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Preloaded (`node --require`) into every process the benchmark starts: on exit it writes the
 * process's peak RSS as the kernel counted it (`maxRSS`, in KB) to the file the benchmark named.
 * It reads nothing else and changes nothing in the process it rides along with. A process that
 * bin/formbridge.js started for its command carries it too and exits first: the file keeps the
 * larger of the two.
 */
const file = process.env.FORMBRIDGE_BENCH_RSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      const maxRssKB = process.resourceUsage().maxRSS;
      let before = 0;
      try {
        before = (JSON.parse(readFileSync(file, 'utf8')) as { maxRssKB: number }).maxRssKB;
      } catch {
        // none yet
      }
      if (maxRssKB >= before) writeFileSync(file, JSON.stringify({ pid: process.pid, maxRssKB }));
    } catch {
      // The benchmark falls back to its own /proc samples.
    }
  });
}
