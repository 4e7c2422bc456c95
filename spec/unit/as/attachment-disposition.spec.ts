import { expect } from '../../support/chai';
import { contentDisposition } from '../../../as/plugins/messages/routes';

describe('as/plugins/messages: an attachment’s Content-Disposition (RFC 6266)', () => {
  it('is always a download, with an ASCII name and the UTF-8 one', () => {
    expect(contentDisposition('invoice.pdf')).to.equal(
      `attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`,
    );
    expect(contentDisposition('résumé.pdf')).to.equal(
      `attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`,
    );
  });

  it('cannot end the header or the quoted name: quotes, backslashes and line breaks are replaced', () => {
    const value = contentDisposition('a"b\\c\r\nSet-Cookie: x=1.txt');
    expect(value).to.equal(
      `attachment; filename="a_b_c__Set-Cookie: x=1.txt"; filename*=UTF-8''a%22b%5Cc%0D%0ASet-Cookie%3A%20x%3D1.txt`,
    );
    expect(value).not.to.match(/[\r\n]/);
    expect(contentDisposition("it's (1).txt")).to.equal(
      `attachment; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`,
    );
  });
});
