/**
 * chai 6 is an ES module while specs compile as CommonJS (`module: node16`): a static value import is a
 * type error (TS1479) although Node >= 20.19 require()s it. Types come in import mode, the value by require.
 * Every spec imports `expect` from here.
 */
import type * as Chai from 'chai' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { expect } = require('chai') as typeof Chai;
