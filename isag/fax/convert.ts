import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * TIFF to PDF with Debian's tools (scripts/provision/fax-tools.sh): tiff2pdf (libtiff-tools) writes every
 * page of the fax TIFF into one PDF, passing the CCITT G3/G4 data through without re-encoding; pdfinfo
 * (poppler-utils) counts the PDF's pages, the number the agent is told. Run with execFile (no shell) and a
 * time limit: a corrupt TIFF is an error with the tool's words, never a hung watcher.
 */
export interface ConvertOptions {
  timeoutMs: number;
  /** A larger PDF is refused (the store's attachment limit). */
  maxPdfBytes: number;
}

export interface ConvertedFax {
  pdf: Buffer;
  pages: number;
}

/**
 * The TIFF cannot become a PDF. `permanent`: the file is at fault (the fax is a failed task with this
 * reason); otherwise this machine is (a tool missing): the files stay and are tried again later.
 */
export class ConversionError extends Error {
  readonly code = 'fax_conversion';
  constructor(
    message: string,
    readonly permanent = true,
  ) {
    super(message);
  }
}

export async function tiffToPdf(tiffPath: string, options: ConvertOptions): Promise<ConvertedFax> {
  const size = (await stat(tiffPath)).size;
  if (size === 0) throw new ConversionError('the TIFF is empty');
  const dir = await mkdtemp(path.join(tmpdir(), 'ipcc-fax-'));
  try {
    const out = path.join(dir, 'fax.pdf');
    await run('tiff2pdf', ['-o', out, tiffPath], options.timeoutMs);
    const info = await run('pdfinfo', [out], options.timeoutMs);
    const pages = pdfPages(info);
    if (pages === undefined) throw new ConversionError('pdfinfo printed no page count');
    const pdfSize = (await stat(out)).size;
    if (pdfSize > options.maxPdfBytes)
      throw new ConversionError(`the PDF is ${pdfSize} bytes, over the limit of ${options.maxPdfBytes}`);
    return { pdf: await readFile(out), pages };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The `Pages:` line of pdfinfo's output. */
export function pdfPages(info: string): number | undefined {
  const m = /^Pages:\s+(\d+)\s*$/m.exec(info);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (err, stdout, stderr) => {
      if (err === null) {
        resolve(stdout);
        return;
      }
      const words = stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      reject(
        missing
          ? new ConversionError(`${file} is not installed (scripts/provision/fax-tools.sh)`, false)
          : new ConversionError(`${file} failed: ${words === '' ? err.message : words}`),
      );
    });
  });
}
