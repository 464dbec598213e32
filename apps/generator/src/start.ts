import { runTuned } from '@formbridge/common';

// The generator service's entry (npm run start:generator): on the embedded database it runs in a process
// started with memory settings that V8 and glibc read only at start (runTuned); the application is
// loaded only in the process that runs it.
if (!runTuned(__filename)) void import('./main');
