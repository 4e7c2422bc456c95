import { writeFileSync } from 'node:fs';
import { generateOpenapi } from '../as/plugins/openapi/generate';

// Prints the AS's OpenAPI document (or writes it to the file given), for client generators and linters.
generateOpenapi()
  .then((doc) => {
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    const out = process.argv[2];
    if (out) writeFileSync(out, text);
    else process.stdout.write(text);
  })
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
