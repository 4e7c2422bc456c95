import { expect } from '../../support/chai';
import { failureReason, recipientStatuses, returnedMessageId } from '../../../isag/email/dsn';
import { headerParam, headerValue, isDeliveryReport, rawRefusal } from '../../../isag/email/inspect';
import { safeFileName } from '../../../isag/email/parse';

const mail = (headers: string, body = 'hello\r\n') => Buffer.from(`${headers}\r\n\r\n${body}`, 'utf8');

describe('isag e-mail: checks of the raw message and delivery reports', () => {
  it('lets a plain message and a well-formed multipart through', () => {
    expect(rawRefusal(mail('From: a@b.test\r\nSubject: hi'))).to.equal(undefined);
    const multipart = mail(
      'From: a@b.test\r\nContent-Type: multipart/mixed;\r\n boundary="XYZ"',
      '--XYZ\r\nContent-Type: text/plain\r\n\r\nhi\r\n--XYZ--\r\n',
    );
    expect(rawRefusal(multipart)).to.equal(undefined);
  });

  it('refuses what is no mail: empty, no header, 8-bit garbage in headers, NUL', () => {
    expect(rawRefusal(Buffer.alloc(0))).to.equal('empty message');
    expect(rawRefusal(Buffer.from('just some text\r\n'))).to.equal(
      'no message headers (the first line is not a header field)',
    );
    const garbage = Buffer.concat([
      Buffer.from('From: a@b.test\r\nSubject: '),
      Buffer.from([0xff, 0xfe, 0x80]),
    ]);
    expect(rawRefusal(Buffer.concat([garbage, Buffer.from('\r\n\r\nbody')]))).to.equal(
      '8-bit data in the headers that is not UTF-8',
    );
    expect(rawRefusal(mail('From: a@b.test\r\nSubject: caf\u00e9'))).to.equal(undefined); // UTF-8 is fine
    expect(rawRefusal(mail('From: a@b.test\r\nX-A: a\u0000b'))).to.equal('NUL bytes in the headers');
  });

  it('refuses multipart without a boundary, or whose boundary never appears', () => {
    expect(rawRefusal(mail('From: a@b.test\r\nContent-Type: multipart/mixed'))).to.equal(
      'malformed MIME: multipart without a boundary',
    );
    expect(
      rawRefusal(mail('From: a@b.test\r\nContent-Type: multipart/mixed; boundary=QQ', 'no parts')),
    ).to.equal('malformed MIME: the boundary "QQ" never appears in the body');
  });

  it('reads unfolded header values and parameters', () => {
    const block =
      'Subject: one\r\n two\r\nContent-Type: multipart/report; report-type=delivery-status;\r\n\tboundary="b"';
    expect(headerValue(block, 'subject')).to.equal('one two');
    const ct = headerValue(block, 'content-type') ?? '';
    expect(headerParam(ct, 'report-type')).to.equal('delivery-status');
    expect(headerParam(ct, 'boundary')).to.equal('b');
    expect(headerParam(ct, 'charset')).to.equal(undefined);
  });

  it('recognises a delivery status notification by its content type', () => {
    expect(
      isDeliveryReport(
        mail(
          'From: MAILER-DAEMON@x\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b',
        ),
      ),
    ).to.equal(true);
    expect(
      isDeliveryReport(
        mail('From: a@x\r\nContent-Type: multipart/report; report-type=disposition-notification; boundary=b'),
      ),
    ).to.equal(false);
    expect(isDeliveryReport(mail('From: a@x'))).to.equal(false);
  });

  it('reads the failed recipient and diagnostic of a delivery-status body', () => {
    const body = [
      'Reporting-MTA: dns; mx.ipcc.local',
      'Arrival-Date: Mon, 7 Dec 2026 10:00:00 +0000',
      '',
      'Final-Recipient: rfc822; gone@customer.test',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: x-unix; user unknown',
      '',
    ].join('\r\n');
    const statuses = recipientStatuses(body);
    expect(statuses).to.deep.equal([
      {
        action: 'failed',
        status: '5.1.1',
        diagnostic: 'x-unix; user unknown',
        finalRecipient: 'rfc822; gone@customer.test',
      },
    ]);
    expect(failureReason(statuses)).to.equal(
      'delivery failed: to gone@customer.test; status 5.1.1; x-unix; user unknown',
    );
    expect(failureReason([{ action: 'delayed', status: '4.4.1' }])).to.equal(undefined);
  });

  it('finds the Message-ID of the returned message', () => {
    expect(returnedMessageId(mail('From: a@b\r\nMessage-ID:\r\n <r-1@ipcc.local>'))).to.equal(
      'r-1@ipcc.local',
    );
    expect(returnedMessageId(mail('From: a@b'))).to.equal(undefined);
  });

  it('stores attachment names without control characters or paths', () => {
    expect(safeFileName('../../etc/passwd', 0)).to.equal('passwd');
    expect(safeFileName('C:\\temp\\a.txt', 0)).to.equal('a.txt');
    expect(safeFileName('a\u0000b\r\n.pdf', 0)).to.equal('a_b__.pdf');
    expect(safeFileName(undefined, 2)).to.equal('attachment-3');
    expect(safeFileName('x'.repeat(300), 0)).to.have.length(255);
  });
});
