import path from 'node:path';
import { environmentMarkdown } from './env-table/table';

// Prints docs/operations/environment.md: npx tsx scripts/env-table.ts > docs/operations/environment.md
process.stdout.write(environmentMarkdown(path.resolve(__dirname, '..')));
