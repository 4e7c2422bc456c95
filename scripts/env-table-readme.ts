import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withTable } from './env-table/readme';

// Rewrites the environment table of README.md's operations section: npx tsx scripts/env-table-readme.ts
const root = path.resolve(__dirname, '..');
const file = path.join(root, 'README.md');
writeFileSync(file, withTable(readFileSync(file, 'utf8'), root));
