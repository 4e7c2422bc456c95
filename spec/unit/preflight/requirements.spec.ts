import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  configSections,
  dialplanContexts,
  manifestPrompts,
  messageContext,
  pjsipEndpoints,
  requiredModules,
  snippetModules,
  stasisApps,
} from '../../../scripts/preflight/requirements';
import { expect } from '../../support/chai';

const snippet = (name: string) =>
  readFileSync(path.join(__dirname, '../../../asterisk/snippets', name), 'utf8');

describe('preflight requirements (scripts/preflight/requirements.ts)', () => {
  it('reads the contexts and their Stasis apps from the dialplan snippet', () => {
    const text = snippet('extensions_ipcc.conf');
    expect(dialplanContexts(text)).to.deep.equal([
      'from-customers',
      'acd',
      'from-agents',
      'feature',
      'from-guests',
    ]);
    expect([...stasisApps(text)]).to.deep.equal([
      ['acd', ['softacd']],
      ['feature', ['softacd']],
      ['from-guests', ['softacd']],
    ]);
  });

  it('reads the endpoints, not the templates, from the PJSIP snippet (anonymous inherits its type)', () => {
    expect(pjsipEndpoints(snippet('pjsip_ipcc.conf'))).to.deep.equal(['anonymous', 'guest', 'outside']);
  });

  it('parses section heads with templates, additions and comments', () => {
    const sections = configSections('[a](!)\ntype = endpoint ; c\n[b](a)\n[general](+)\nx=1\n; [c]\n');
    expect(sections).to.deep.equal([
      { name: 'a', template: true, inherits: [], type: 'endpoint' },
      { name: 'b', template: false, inherits: ['a'] },
      { name: 'general', template: false, inherits: [] },
    ]);
  });

  it('knows which prompts have video, and refuses a manifest without names', () => {
    expect(
      manifestPrompts({ prompts: [{ name: 'a', card: 'A' }, { name: 'b' }, { name: 'c', videoFile: 'x' }] }),
    ).to.deep.equal([
      { name: 'a', video: true },
      { name: 'b', video: false },
      { name: 'c', video: true },
    ]);
    expect(() => manifestPrompts({ prompts: [{ text: 'x' }] })).to.throw('prompt 0 has no name');
    expect(() => manifestPrompts({})).to.throw('no "prompts" list');
  });

  it('modules_ipcc.conf loads exactly the modules the checks require, in the same order', () => {
    const loads = snippet('modules_ipcc.conf')
      .split('\n')
      .map((l) => /^load\s*=\s*(\S+)(?:\s*;\s*or\s+(.*))?$/.exec(l.trim()))
      .filter((m) => m !== null)
      .map((m) => [m[1], ...(m[2] === undefined ? [] : m[2].split(/,\s*/))].join('|'));
    expect(loads).to.deep.equal(requiredModules());
    expect(loads).to.include('res_stasis_snoop.so').and.to.include('codec_opus_open_source.so|codec_opus.so');
  });
  it("reads a feature's modules and their reasons from its snippet, leaving out the core list's", () => {
    expect(snippetModules(snippet('modules_ipcc_fax.conf'))).to.deep.equal([
      { names: ['res_fax.so'], why: 'ReceiveFAX and SendFAX' },
      { names: ['res_fax_spandsp.so'], why: 'their T.30 engine over audio (G.711) and T.38' },
      { names: ['func_env.so'], why: 'FILE(): the status file beside each received TIFF' },
      { names: ['func_strings.so'], why: 'FILTER(): only expected characters reach the status file' },
    ]);
    const sms = snippetModules(snippet('modules_ipcc_sms.conf')).map((n) => n.names.join('|'));
    expect(sms).to.include('res_pjsip_messaging.so').and.to.include('res_ari_endpoints.so');
    // func_base64 is a core module (the dialplan's BASE64_ENCODE): the modules check names it, not this.
    expect(sms).not.to.include('func_base64.so');
    expect(snippetModules('; x\n[modules](+)\nload = a.so\n; why b\nload = b.so ; or c\n')).to.deep.equal([
      { names: ['a.so'], why: '' },
      { names: ['b.so'], why: 'why b' },
    ]);
  });

  it("reads the customer endpoints' message context from the PJSIP snippet", () => {
    expect(messageContext(snippet('pjsip_ipcc.conf'))).to.equal('ipcc-messages');
    expect(messageContext('[a]\ntype = endpoint\n')).to.equal(undefined);
  });
});
