import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConversionError, pdfPages, tiffToPdf } from '../../../isag/fax/convert';
import { expect } from '../../support/chai';
import { faxTiff, textPdf } from '../../support/fax';

const options = { timeoutMs: 30_000, maxPdfBytes: 10 * 1024 * 1024 };

/** Pages of text as a G4 fax TIFF (1728 dots wide, 204x196 dpi), with Debian's ghostscript (fax-tools.sh). */
function faxTiffOf(dir: string, pages: number): string {
  return faxTiff(
    textPdf(dir, pages, (n) => `Page ${n}`),
    path.join(dir, 'fax.tif'),
  );
}

describe('fax TIFF to PDF with tiff2pdf and pdfinfo (isag/fax/convert.ts)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fax-convert-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('makes one PDF of every page, counted by pdfinfo', async () => {
    const converted = await tiffToPdf(faxTiffOf(dir, 2), options);
    expect(converted.pages).to.equal(2);
    expect(converted.pdf.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
  });

  it("refuses a file that is no TIFF with the tool's words, as the file's fault", async () => {
    const bad = path.join(dir, 'bad.tif');
    await writeFile(bad, 'this is not a TIFF at all');
    const err = await tiffToPdf(bad, options).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ConversionError);
    expect((err as ConversionError).permanent).to.equal(true);
    expect((err as ConversionError).message).to.match(/^tiff2pdf failed: /);
  });

  it('refuses a PDF over the attachment limit', async () => {
    const err = await tiffToPdf(faxTiffOf(dir, 1), { ...options, maxPdfBytes: 100 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).message).to.match(/^the PDF is \d+ bytes, over the limit of 100$/);
  });

  it("reads pdfinfo's page count", () => {
    expect(pdfPages('Producer: x\nPages:           12\nEncrypted: no\n')).to.equal(12);
    expect(pdfPages('Producer: x\n')).to.equal(undefined);
  });
});
