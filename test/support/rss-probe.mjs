// Loaded with `node --import` into a child process under test: on exit, writes
// its peak resident set size (bytes) to the file named by PREEXEC_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.PREEXEC_RSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS * 1024)));
