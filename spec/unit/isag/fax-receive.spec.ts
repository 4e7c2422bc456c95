import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import winston from 'winston';
import type { Inbound, IntakeResult } from '../../../isag/core/types';
import { ConversionError } from '../../../isag/fax/convert';
import { faxMessageKey, receiveFax } from '../../../isag/fax/receive';
import type { FaxReport } from '../../../isag/fax/status-file';
import { expect } from '../../support/chai';

const log = winston.createLogger({ silent: true });
const report = (over: Partial<FaxReport> = {}): FaxReport => ({
  uniqueId: 'ipcc-1.7',
  to: '7000',
  from: '+15550123',
  faxStatus: 'SUCCESS',
  pages: 3,
  error: 'NO_ERROR',
  detail: 'OK',
  station: 'SENDER 1',
  bitRate: 9600,
  ...over,
});

describe('fax receipt (isag/fax/receive.ts)', () => {
  let dir: string;
  let tiff: string;
  let received: Inbound[];
  let failed: Array<[string, string]>;
  let answer: IntakeResult;
  let convert: (tiff: string) => Promise<{ pdf: Buffer; pages: number }>;

  const deps = () => ({
    receive: (m: Inbound) => {
      received.push(m);
      return Promise.resolve(answer);
    },
    markFailed: (id: string, reason: string) => {
      failed.push([id, reason]);
      return Promise.resolve();
    },
    convert: (t: string) => convert(t),
    log,
  });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fax-receive-'));
    tiff = path.join(dir, 'ipcc-1.7.tif');
    received = [];
    failed = [];
    answer = { kind: 'created', interactionId: 'i-1', messageId: 'm-1', queueId: 'fax' };
    convert = () => Promise.resolve({ pdf: Buffer.from('%PDF-1.4 three pages'), pages: 3 });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('a complete fax: the PDF attached, its pages, keyed by UNIQUEID, status left received', async () => {
    await writeFile(tiff, 'II*\0tiff');
    const result = await receiveFax({ id: 'ipcc-1.7', report: report(), tiffPath: tiff }, deps());
    expect(result).to.deep.equal(answer);
    expect(received).to.have.length(1);
    const m = received[0]!;
    expect(m).to.deep.include({
      channel: 'fax',
      via: 'fax',
      from: '+15550123',
      to: ['7000'],
      subject: 'Fax from +15550123, 3 pages',
      messageId: faxMessageKey('ipcc-1.7'),
      pages: 3,
      threading: { kind: 'none' },
      size: 20,
    });
    expect(m.text).to.equal('Fax from +15550123, 3 pages. Sending station: SENDER 1. Rate: 9600 bit/s.');
    expect(m.attachments).to.deep.equal([
      {
        name: 'fax-7000-+15550123.pdf',
        contentType: 'application/pdf',
        content: Buffer.from('%PDF-1.4 three pages'),
      },
    ]);
    expect(failed).to.deep.equal([]);
  });

  it('a partial fax: the pages that arrived, and the message set failed with the reason', async () => {
    await writeFile(tiff, 'II*\0tiff');
    convert = () => Promise.resolve({ pdf: Buffer.from('%PDF one'), pages: 1 });
    await receiveFax(
      {
        id: 'ipcc-1.7',
        report: report({ faxStatus: 'FAILED', pages: 1, error: 'HANGUP', detail: 'remote channel hungup' }),
        tiffPath: tiff,
      },
      deps(),
    );
    expect(received[0]?.attachments).to.have.length(1);
    expect(received[0]?.pages).to.equal(1);
    expect(failed).to.deep.equal([['m-1', 'partial fax: 1 page received; HANGUP (remote channel hungup)']]);
  });

  it('no TIFF and a withheld number: a failed task from "anonymous", no attachment', async () => {
    await receiveFax(
      {
        id: 'ipcc-1.7',
        report: report({ faxStatus: '', pages: 0, from: '', error: '', detail: '' }),
        tiffPath: tiff,
      },
      deps(),
    );
    expect(received[0]).to.deep.include({ from: 'anonymous', attachments: [], size: 0, pages: 0 });
    expect(failed).to.deep.equal([['m-1', 'no fax: the call ended before a fax was received']]);
  });

  it('a TIFF the tools refuse is a failed task with their words; a missing tool is tried again', async () => {
    await writeFile(tiff, 'not a tiff');
    convert = () => Promise.reject(new ConversionError('tiff2pdf failed: Not a TIFF file'));
    await receiveFax({ id: 'ipcc-1.7', report: report(), tiffPath: tiff }, deps());
    expect(failed).to.deep.equal([
      ['m-1', 'received, but no PDF could be made of it: tiff2pdf failed: Not a TIFF file'],
    ]);
    convert = () => Promise.reject(new ConversionError('tiff2pdf is not installed', false));
    const error = await receiveFax({ id: 'ipcc-1.7', report: report(), tiffPath: tiff }, deps()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).to.be.instanceOf(ConversionError).and.have.property('message', 'tiff2pdf is not installed');
    expect(received).to.have.length(1);
  });

  it('a duplicate (run again after a crash) sets the same status again; a quarantined fax none', async () => {
    answer = { kind: 'duplicate', interactionId: 'i-1', messageId: 'm-1' };
    await receiveFax(
      { id: 'ipcc-1.7', report: report({ faxStatus: 'FAILED', pages: 0 }), tiffPath: tiff },
      deps(),
    );
    expect(failed).to.have.length(1);
    answer = { kind: 'quarantined', quarantineId: 'q-1', reason: 'no queue for 7001' };
    await receiveFax(
      { id: 'ipcc-1.7', report: report({ faxStatus: 'FAILED', pages: 0 }), tiffPath: tiff },
      deps(),
    );
    expect(failed).to.have.length(1);
  });
});
