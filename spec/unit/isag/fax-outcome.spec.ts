import { faxOutcome } from '../../../isag/fax/outcome';
import type { FaxReport } from '../../../isag/fax/status-file';
import { expect } from '../../support/chai';

const report = (over: Partial<FaxReport>): FaxReport => ({
  uniqueId: 'ipcc-1.1',
  to: '7000',
  from: '+15550123',
  faxStatus: 'SUCCESS',
  pages: 3,
  error: 'NO_ERROR',
  detail: 'OK',
  station: '',
  ...over,
});

describe('fax outcome (isag/fax/outcome.ts)', () => {
  it('a complete fax is received, with the PDF page count', () => {
    expect(faxOutcome(report({}), { kind: 'pdf', pages: 3 })).to.deep.equal({
      result: 'complete',
      status: 'received',
      subject: 'Fax from +15550123, 3 pages',
      pages: 3,
    });
  });

  it('a fax whose sender hung up after a page is partial: failed, the pages and the reason', () => {
    const o = faxOutcome(
      report({ faxStatus: 'FAILED', pages: 1, error: 'HANGUP', detail: 'remote channel hungup' }),
      { kind: 'pdf', pages: 1 },
    );
    expect(o).to.deep.equal({
      result: 'partial',
      status: 'failed',
      statusReason: 'partial fax: 1 page received; HANGUP (remote channel hungup)',
      subject: 'Partial fax from +15550123, 1 page',
      pages: 1,
    });
  });

  it("spandsp's words in both FAXERROR and FAXSTATUSSTRING are said once", () => {
    const words = 'The call dropped prematurely';
    const o = faxOutcome(report({ faxStatus: 'FAILED', pages: 1, error: words, detail: words }), {
      kind: 'pdf',
      pages: 1,
    });
    expect(o.statusReason).to.equal('partial fax: 1 page received; The call dropped prematurely');
  });

  it('no page at all: failed with Asterisk\'s reason, or "no fax" when ReceiveFAX never ran', () => {
    expect(
      faxOutcome(report({ faxStatus: 'FAILED', pages: 0, error: 'INIT_ERROR', detail: '' }), {
        kind: 'none',
        why: 'no TIFF was written',
      }),
    ).to.deep.equal({
      result: 'failed',
      status: 'failed',
      statusReason: 'no page received: INIT_ERROR',
      subject: 'Failed fax from +15550123',
      pages: 0,
    });
    expect(
      faxOutcome(report({ faxStatus: '', pages: 0, error: '', detail: '', from: '' }), {
        kind: 'none',
        why: 'no TIFF was written',
      }),
    ).to.deep.equal({
      result: 'failed',
      status: 'failed',
      statusReason: 'no fax: the call ended before a fax was received',
      subject: 'Failed fax from an unknown number',
      pages: 0,
    });
  });

  it('a fax Asterisk received but that cannot be converted is failed with the conversion error', () => {
    const o = faxOutcome(report({}), { kind: 'none', why: 'tiff2pdf failed: Not a TIFF file' });
    expect(o.result).to.equal('failed');
    expect(o.status).to.equal('failed');
    expect(o.statusReason).to.equal(
      'received, but no PDF could be made of it: tiff2pdf failed: Not a TIFF file',
    );
    expect(o.pages).to.equal(3);
  });
});
