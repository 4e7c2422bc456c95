import {
  endpointOfChannel,
  featurePrompt,
  parseFeatureCode,
} from '../../../stasis-app/softacd/feature-codes';
import { expect } from '../../support/chai';

describe('desk-phone feature codes: what the dialled number asks for', () => {
  it('maps each code of the contract, and nothing else', () => {
    expect(parseFeatureCode('*61')).to.deep.equal({ feature: 'login' });
    expect(parseFeatureCode('*62')).to.deep.equal({ feature: 'logout' });
    expect(parseFeatureCode('*63')).to.deep.equal({ feature: 'ready' });
    for (let n = 1; n <= 9; n++)
      expect(parseFeatureCode(`*64${n}`)).to.deep.equal({ feature: 'not-ready', reasonDigit: n });
    expect(parseFeatureCode('95551234')).to.deep.equal({ feature: 'dial', number: '5551234' });
    expect(parseFeatureCode('9+15551234')).to.deep.equal({ feature: 'dial', number: '+15551234' });
    for (const bad of [
      '*60',
      '*64',
      '*640',
      '*6410',
      '*65',
      '*6',
      '61',
      '',
      '9',
      '9*61',
      '9abc',
      `9${'1'.repeat(33)}`,
    ])
      expect(parseFeatureCode(bad), bad).to.equal(undefined);
  });

  it('names the calling phone by its channel name', () => {
    expect(endpointOfChannel('PJSIP/agent1001-0000002a')).to.equal('PJSIP/agent1001');
    expect(endpointOfChannel('PJSIP/webrtc1001-00000000')).to.equal('PJSIP/webrtc1001');
    expect(endpointOfChannel('Local/x@y-0001;1')).to.equal(undefined);
    expect(endpointOfChannel('garbage')).to.equal(undefined);
  });

  it('speaks the granted feature, and "refused" for a refusal, no answer or an unknown code', () => {
    expect(featurePrompt({ feature: 'login' }, { ok: true })).to.equal('feature-logged-in');
    expect(featurePrompt({ feature: 'logout' }, { ok: true })).to.equal('feature-logged-out');
    expect(featurePrompt({ feature: 'ready' }, { ok: true })).to.equal('feature-ready');
    expect(featurePrompt({ feature: 'not-ready', reasonDigit: 2 }, { ok: true })).to.equal(
      'feature-not-ready',
    );
    expect(featurePrompt({ feature: 'ready' }, { ok: false })).to.equal('feature-refused');
    expect(featurePrompt({ feature: 'ready' }, undefined)).to.equal('feature-refused');
    expect(featurePrompt(undefined, { ok: true })).to.equal('feature-refused');
  });
});
