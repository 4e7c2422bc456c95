import {
  neutralSignature,
  neutralSignatureValid,
  twilioSignature,
  twilioSignatureValid,
} from '../../../isag/sms/signature';
import { expect } from '../../support/chai';

describe('isag sms: webhook signatures', () => {
  // Twilio's own SMS request vector (twilio/twilio-ruby spec/util/request_validator_spec.rb).
  const token = '2bd9e9638872de601313dc77410d3b23';
  const url = 'http://twiliotests.heroku.com/validate/sms';
  const params = new Map(
    Object.entries({
      ToState: 'CA',
      FromState: 'CA',
      AccountSid: 'ACba8bc05eacf94afdae398e642c9cc32d',
      SmsMessageSid: 'SM2003cbd5e6a3701999aa3e5f20ff2787',
      Body: 'Orly',
      From: '+14159354345',
      FromCity: 'SAN FRANCISCO',
      SmsStatus: 'received',
      FromZip: '94107',
      FromCountry: 'US',
      To: '+14158141819',
      ToCity: 'SAN FRANCISCO',
      ToZip: '94105',
      ToCountry: 'US',
      ApiVersion: '2010-04-01',
      SmsSid: 'SM2003cbd5e6a3701999aa3e5f20ff2787',
    }),
  );

  it("computes Twilio's documented signature of an SMS webhook", () => {
    expect(twilioSignature(token, url, params)).to.equal('mxeiv65lEe0b8L6LdVw2jgJi8yw=');
  });

  it("computes the signature of Twilio's security guide example (URL with a query)", () => {
    const example = new Map(
      Object.entries({
        CallSid: 'CA1234567890ABCDE',
        Caller: '+14158675309',
        Digits: '1234',
        From: '+14158675309',
        To: '+18005551212',
      }),
    );
    expect(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', example)).to.equal(
      'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
    );
  });

  it('accepts the right Twilio signature and refuses a changed body, URL, token or none', () => {
    expect(twilioSignatureValid(token, url, params, 'mxeiv65lEe0b8L6LdVw2jgJi8yw=')).to.equal(true);
    const changed = new Map(params).set('Body', 'Orly?');
    expect(twilioSignatureValid(token, url, changed, 'mxeiv65lEe0b8L6LdVw2jgJi8yw=')).to.equal(false);
    expect(twilioSignatureValid(token, `${url}/x`, params, 'mxeiv65lEe0b8L6LdVw2jgJi8yw=')).to.equal(false);
    expect(twilioSignatureValid('other', url, params, 'mxeiv65lEe0b8L6LdVw2jgJi8yw=')).to.equal(false);
    expect(twilioSignatureValid(token, url, params, undefined)).to.equal(false);
    expect(twilioSignatureValid(token, url, params, 'short')).to.equal(false);
  });

  it('signs the neutral form as sha256=<hex HMAC-SHA256 of the raw body>', () => {
    const body = Buffer.from('{"from":"+15550001","to":"+15550100","text":"hi"}');
    // The same HMAC computed apart: `printf '%s' '<body>' | openssl dgst -sha256 -hmac k`.
    const sig = neutralSignature('k', body);
    expect(sig).to.equal('sha256=2f33bf7cdb5c9f9b932a46a96a80f36d2eb5d11fc04436ac82ffd499102d8970');
    expect(neutralSignatureValid('k', body, sig)).to.equal(true);
    expect(neutralSignatureValid('k', body, ` ${sig} `)).to.equal(true);
    expect(neutralSignatureValid('k', Buffer.concat([body, Buffer.from(' ')]), sig)).to.equal(false);
    expect(neutralSignatureValid('other', body, sig)).to.equal(false);
    expect(neutralSignatureValid('k', body, sig.replace('sha256=', 'sha1='))).to.equal(false);
    expect(neutralSignatureValid('k', body, undefined)).to.equal(false);
  });
});
