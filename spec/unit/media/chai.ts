/**
 * chai 6 is an ES module; this repository compiles tests as CommonJS (`module: node16`), where a
 * static `import ... from 'chai'` is a type error (TS1479) even though Node >= 20.19 loads it with
 * require(). The types are imported in import mode and the value with require().
 */
import type * as Chai from 'chai' with { 'resolution-mode': 'import' };

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { expect } = require('chai') as typeof Chai;
