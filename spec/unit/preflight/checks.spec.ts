import { cliCommands, evaluate, type Facts } from '../../../scripts/preflight/checks';
import { reportText } from '../../../scripts/preflight/report';
import { requirementsFrom, type Requirements } from '../../../scripts/preflight/requirements';
import { expect } from '../../support/chai';

const EXTENSIONS = `[globals](+)\nX = 1\n[acd]\nexten => _X.,1,Stasis(softacd,\${EXTEN})\n[from-agents]\nexten => _X.,1,Hangup()\n`;
const PJSIP = '[customer](!)\ntype = endpoint\n[anonymous](customer)\n[guest]\ntype = endpoint\n';

function requirements(over: Partial<{ wss: boolean; modules: string[] }> = {}): Requirements {
  return requirementsFrom({
    extensionsSnippet: EXTENSIONS,
    pjsipSnippet: PJSIP,
    manifest: { prompts: [{ name: 'welcome', card: 'W' }, { name: 'bye' }] },
    wss: over.wss ?? false,
    ariUser: 'ipcc',
    modules: over.modules ?? ['res_ari.so', 'codec_opus_open_source.so|codec_opus.so'],
  });
}

// Outputs as Asterisk 22 prints them (trimmed).
const CLI: Array<[string, string]> = [
  ['core show version', 'Asterisk 22.10.1+dfsg built by nobody @ buildd.debian.org\n'],
  [
    'dialplan show acd',
    "[ Context 'acd' created by 'pbx_config' ]\n  '_X.' => 1. Stasis(softacd,${EXTEN}) [extensions_ipcc.conf:4]\n",
  ],
  [
    'dialplan show from-agents',
    "[ Context 'from-agents' created by 'pbx_config' ]\n  '_X.' => 1. Hangup()\n",
  ],
  [
    'pjsip show transports',
    'Transport:  <TransportId........>  <Type>  <cos>  <tos>  <BindAddress>\n' +
      'Transport:  transport-udp             udp      0      0  127.0.0.1:5060\n' +
      'Transport:  transport-ws               ws      0      0  127.0.0.1:5060\n' +
      'Transport:  transport-wss             wss      0      0  127.0.0.1:5060\n',
  ],
  [
    'pjsip list endpoints',
    ' Endpoint:  <Endpoint/CID.....>  <State.....>  <Channels.>\n' +
      ' Endpoint:  anonymous            Unavailable   0 of inf\n' +
      ' Endpoint:  guest                Unavailable   0 of inf\n' +
      ' Endpoint:  agent1001/1001       Unavailable   0 of inf\n',
  ],
  [
    'http show status',
    'Server Enabled and Bound to 127.0.0.1:8088\n\nHTTPS Server Enabled and Bound to 127.0.0.1:8089\n\n' +
      "Enabled URI's:\n/ari/... => Asterisk RESTful API\n/ws => Asterisk HTTP WebSocket\n",
  ],
  [
    'core show translation paths slin',
    '\tslin:8000        To ulaw:8000       : (slin@8000)->(ulaw@8000)\n' +
      '\tslin:8000        To alaw:8000       : (slin@8000)->(alaw@8000)\n' +
      '\tslin:8000        To g722:16000      : (slin@8000)->(g722@16000)\n' +
      '\tslin:8000        To opus:48000      : (slin@8000)->(opus@48000)\n' +
      '\tslin:8000        To g729:8000       : No Translation Path\n',
  ],
  [
    'core show file formats',
    'Format     Name       Extensions\n------     ----       ----------\ng722       g722       g722\n' +
      'alaw       alaw       alaw|al|alw\nulaw       pcm        pcm|ulaw|ul|mu|ulw\nvp8        VP8        vp8\n' +
      'h264       h264       h264\nslin16     sln16      sln16\nslin       wav        wav\n',
  ],
];

function facts(over: Partial<Facts> = {}): Facts {
  return {
    ariUrl: 'http://127.0.0.1:8088',
    access: { kind: 'ok', version: '22.10.1+dfsg' },
    modules: new Map([
      ['res_ari.so', 'Running'],
      ['codec_opus_open_source.so', 'Running'],
    ]),
    sounds: {
      indexed: new Map([
        ['welcome', ['ulaw', 'h264', 'vp8']],
        ['bye', ['ulaw']],
      ]),
      local: ['welcome.ulaw', 'welcome.h264', 'welcome.vp8', 'bye.ulaw'],
      localDir: '/sounds/ipcc',
    },
    cli: new Map(CLI),
    cliCommand: 'asterisk -rx',
    ...over,
  };
}

const failed = (req: Requirements, f: Facts) => evaluate(req, f).filter((r) => !r.ok);
/** The one failing check (the test fails when there is none or more). */
function onlyFailure(req: Requirements, f: Facts) {
  const all = failed(req, f);
  expect(all.map((r) => r.id)).to.have.length(1);
  const [one] = all;
  if (one === undefined) throw new Error('no failure');
  return one;
}
const cliWith = (command: string, output: string) => new Map([...CLI, [command, output]]);

describe('preflight checks (scripts/preflight/checks.ts)', () => {
  it('passes every check on a complete Asterisk, and asks the CLI for each context', () => {
    const req = requirements({ wss: true });
    expect(cliCommands(req)).to.include('dialplan show acd').and.to.include('dialplan show from-agents');
    const results = evaluate(req, facts());
    expect(results.map((r) => `${r.id}:${r.ok}`)).to.deep.equal([
      'ari-user:true',
      'version:true',
      'cli:true',
      'modules:true',
      'dialplan:true',
      'endpoints:true',
      'transports:true',
      'sounds:true',
      'codecs:true',
    ]);
    expect(reportText(results).trim().split('\n').at(-1)).to.equal('preflight: all 9 checks passed');
  });

  it('a refused ARI user fails with the snippet to include; the version still comes from the CLI', () => {
    const results = evaluate(
      requirements(),
      facts({ access: { kind: 'refused', status: 401 }, modules: undefined, sounds: undefined }),
    );
    const ari = results.find((r) => r.id === 'ari-user');
    expect(ari?.ok).to.equal(false);
    expect(ari?.detail).to.equal('refused (401): user or password not accepted');
    expect(ari?.fix).to.contain('#include ari_ipcc.conf').and.to.contain('module reload res_ari.so');
    expect(results.find((r) => r.id === 'version')).to.include({ ok: true, detail: '22.10.1+dfsg' });
    expect(
      failed(
        requirements(),
        facts({ access: { kind: 'refused', status: 401 }, modules: undefined, sounds: undefined }),
      ).map((r) => r.id),
    ).to.deep.equal(['ari-user', 'modules', 'sounds']);
  });

  it('refuses Asterisk 18 and 21, accepts 20 and certified 22', () => {
    const v = (version: string) => {
      const r = evaluate(requirements(), facts({ access: { kind: 'ok', version } })).find(
        (c) => c.id === 'version',
      );
      if (r === undefined) throw new Error('no version check');
      return r;
    };
    expect(v('18.20.0').ok).to.equal(false);
    expect(v('21.5.0').detail).to.equal('21.5.0 (major 21)');
    expect(v('20.11.0').ok).to.equal(true);
    expect(v('certified-22.8-cert1').ok).to.equal(true);
    expect(v('certified/20.7-cert3').ok).to.equal(true);
    expect(v('GIT-master-abc').detail).to.equal('GIT-master-abc (major ?)');
  });

  it('names a module that is not running, its state and what it is for; either Opus module will do', () => {
    const req = requirements({
      modules: ['res_ari.so', 'res_stasis_snoop.so', 'codec_opus_open_source.so|codec_opus.so'],
    });
    const modules = new Map([
      ['res_ari.so', 'Running'],
      ['res_stasis_snoop.so', 'Not Running'],
      ['codec_opus.so', 'Running'],
    ]);
    const m = onlyFailure(req, facts({ modules }));
    expect(m.id).to.equal('modules');
    expect(m.detail).to.equal(
      'not running: res_stasis_snoop.so (Not Running; supervisor listening and call recording through a snoop channel)',
    );
    expect(m.fix).to.contain('module load res_stasis_snoop.so');
  });

  it('finds a missing context and a context that does not enter the Stasis app', () => {
    const cli = cliWith(
      'dialplan show acd',
      "[ Context 'acd' created by 'pbx_config' ]\n  '_X.' => 1. Dial(PJSIP/x)\n",
    );
    cli.set('dialplan show from-agents', "There is no existence of 'from-agents' context\n");
    const d = onlyFailure(requirements(), facts({ cli }));
    expect(d.id).to.equal('dialplan');
    expect(d.detail).to.equal('acd does not enter Stasis(softacd); from-agents missing');
    expect(d.fix).to.contain('#include extensions_ipcc.conf');
  });

  it('finds a missing endpoint (an agent endpoint is not taken for it)', () => {
    const cli = cliWith(
      'pjsip list endpoints',
      ' Endpoint:  anonymous   Unavailable   0 of inf\n Endpoint:  guestx/1 x\n',
    );
    const e = onlyFailure(requirements(), facts({ cli }));
    expect(e).to.include({ id: 'endpoints', detail: 'missing: guest' });
  });

  it('requires wss and the TLS listener only when asked', () => {
    const cli = cliWith(
      'http show status',
      'Server Enabled and Bound to 127.0.0.1:8088\n/ws => Asterisk HTTP WebSocket\n',
    );
    cli.set('pjsip show transports', 'Transport:  transport-ws   ws   0  0  127.0.0.1:5060\n');
    expect(failed(requirements({ wss: false }), facts({ cli }))).to.deep.equal([]);
    const t = onlyFailure(requirements({ wss: true }), facts({ cli }));
    expect(t.detail).to.equal('no transport with protocol = wss; the HTTP server has no TLS listener');
    expect(t.fix).to.contain('pjsip_ipcc_tls.conf').and.to.contain('http_ipcc_tls.conf');
  });

  it('tells a prompt directory Asterisk does not read from one that is missing here', () => {
    const indexed = new Map([['bye', ['ulaw']]]);
    const notRead = onlyFailure(requirements(), facts({ sounds: { ...facts().sounds!, indexed } }));
    expect(notRead.detail).to.equal('Asterisk does not list welcome in language ipcc');
    expect(notRead.fix).to.contain('Asterisk does not see them');
    const absent = onlyFailure(requirements(), facts({ sounds: { indexed, localDir: '/sounds/ipcc' } }));
    expect(absent.detail).to.equal('/sounds/ipcc does not exist on this host');
    const noVideo = new Map([
      ['welcome', ['ulaw', 'h264']],
      ['bye', ['ulaw']],
    ]);
    expect(onlyFailure(requirements(), facts({ sounds: { indexed: noVideo } })).detail).to.equal(
      'no h264/vp8 file for welcome',
    );
  });

  it('finds a codec without a translation path and a missing file format', () => {
    const cli = cliWith(
      'core show translation paths slin',
      '\tslin:8000  To ulaw:8000 : (slin@8000)->(ulaw@8000)\n\tslin:8000  To opus:48000 : No Translation Path\n',
    );
    cli.set(
      'core show file formats',
      'g722  g722  g722\nalaw  alaw  alaw\nulaw  pcm  pcm|ulaw\nslin16 sln16 sln16\nslin wav wav\nh264 h264 h264\n',
    );
    const c = onlyFailure(requirements(), facts({ cli }));
    expect(c.detail).to.equal('no translation from slin to alaw, g722, opus; no file format for .vp8');
  });

  it('a CLI that cannot run fails its own check and marks the CLI checks as not checked', () => {
    const results = evaluate(requirements(), facts({ cli: undefined, cliError: 'spawn asterisk ENOENT' }));
    expect(results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.detail}`)).to.deep.equal([
      'cli: spawn asterisk ENOENT',
      'dialplan: not checked: no CLI',
      'endpoints: not checked: no CLI',
      'transports: not checked: no CLI',
      'codecs: not checked: no CLI',
    ]);
    expect(reportText(results)).to.contain(
      'preflight: 5 of 9 checks failed (cli, dialplan, endpoints, transports, codecs)',
    );
  });
});

describe("preflight checks of ISAG's channels (scripts/preflight/channel-checks.ts)", () => {
  const withChannels = (numbers: string[] = []): Requirements => ({
    ...requirements(),
    sms: {
      modules: [{ names: ['res_pjsip_messaging.so'], why: 'MESSAGE in and out of PJSIP endpoints' }],
      endpoints: ['anonymous'],
      messageContext: 'ipcc-messages',
      contexts: ['ipcc-messages'],
      ariUser: 'isag',
    },
    fax: {
      modules: [
        { names: ['res_fax.so'], why: 'ReceiveFAX and SendFAX' },
        { names: ['res_fax_spandsp.so'], why: 'their T.30 engine over audio (G.711) and T.38' },
      ],
      contexts: ['fax-in', 'fax-done'],
      numbers,
    },
  });
  const CHANNEL_CLI: Array<[string, string]> = [
    [
      'pjsip show endpoint anonymous',
      ' Endpoint:  anonymous      Unavailable   0 of inf\n message_context          : ipcc-messages\n',
    ],
    ['dialplan show ipcc-messages', "[ Context 'ipcc-messages' created by 'pbx_config' ]\n"],
    [
      'dialplan show fax-in',
      "[ Context 'fax-in' created by 'pbx_config' ]\n  '_[+0-9].' => 4. ReceiveFAX(${ASTSPOOLDIR}/fax/${UNIQUEID}.tif,f)\n",
    ],
    ['dialplan show fax-done', "[ Context 'fax-done' created by 'pbx_config' ]\n"],
    [
      'dialplan show acd',
      "[ Context 'acd' created by 'pbx_config' ]\n" +
        "  '7000' =>         1. Goto(fax-in,${EXTEN},1)     [extensions_ipcc_fax_numbers.conf:4]\n" +
        "  '_[+0-9].' =>     1. NoOp(ipcc: call)\n                    2. Stasis(softacd,${EXTEN})\n",
    ],
  ];
  const channelFacts = (over: Partial<Facts> = {}, cli: Array<[string, string]> = []): Facts =>
    facts({
      modules: new Map([
        ['res_ari.so', 'Running'],
        ['codec_opus_open_source.so', 'Running'],
        ['res_pjsip_messaging.so', 'Running'],
        ['res_fax.so', 'Running'],
        ['res_fax_spandsp.so', 'Running'],
      ]),
      isagAccess: { kind: 'ok', version: '22.10.1' },
      cli: new Map([...CLI, ...CHANNEL_CLI, ...cli]),
      ...over,
    });
  const check = (req: Requirements, f: Facts, id: 'sms' | 'fax') => {
    const r = evaluate(req, f).find((c) => c.id === id);
    if (r === undefined) throw new Error(`no ${id} check`);
    return r;
  };

  it('passes both on a complete Asterisk, asks the CLI for their endpoints and contexts, 11 checks in all', () => {
    const req = withChannels(['7000']);
    expect(cliCommands(req)).to.include.members([
      'pjsip show endpoint anonymous',
      'dialplan show ipcc-messages',
      'dialplan show fax-in',
      'dialplan show fax-done',
    ]);
    // `dialplan show acd` once, though both the core and the fax checks read it.
    expect(cliCommands(req).filter((c) => c === 'dialplan show acd')).to.have.length(1);
    const results = evaluate(req, channelFacts());
    expect(results.filter((r) => !r.ok)).to.deep.equal([]);
    expect(results.slice(-2).map((r) => `${r.id}: ${r.detail}`)).to.deep.equal([
      "sms: modules running; ISAG's ARI user accepted; anonymous → ipcc-messages",
      'fax: modules running; ReceiveFAX in fax-in; fax numbers 7000',
    ]);
    expect(reportText(results).trim().split('\n').at(-1)).to.equal('preflight: all 11 checks passed');
  });

  it("SMS: names a module not running, ISAG's refused ARI user, a wrong message_context, a missing context", () => {
    const f = channelFacts(
      {
        modules: new Map([
          ['res_ari.so', 'Running'],
          ['codec_opus_open_source.so', 'Running'],
          ['res_fax.so', 'Running'],
          ['res_fax_spandsp.so', 'Running'],
        ]),
        isagAccess: { kind: 'refused', status: 401 },
      },
      [
        [
          'pjsip show endpoint anonymous',
          ' Endpoint:  anonymous   Unavailable   0 of inf\n message_context : \n',
        ],
        ['dialplan show ipcc-messages', "There is no existence of 'ipcc-messages' context\n"],
      ],
    );
    const sms = onlyFailure(withChannels(), f);
    expect(sms.id).to.equal('sms');
    expect(sms.detail).to.equal(
      'not running: res_pjsip_messaging.so (not loaded; MESSAGE in and out of PJSIP endpoints); ' +
        "ISAG's ARI user isag refused (401); anonymous has message_context (unset), not ipcc-messages; " +
        'context ipcc-messages missing',
    );
    expect(sms.fix)
      .to.contain('#include modules_ipcc_sms.conf')
      .and.to.contain('#include ari_ipcc.conf')
      .and.to.contain('message_context = ipcc-messages')
      .and.to.contain('#include extensions_ipcc_sms.conf');
  });

  it('SMS: an endpoint PJSIP does not know is named missing', () => {
    const f = channelFacts({}, [['pjsip show endpoint anonymous', '\nUnable to find object anonymous.\n\n']]);
    expect(check(withChannels(), f, 'sms')).to.include({ ok: false, detail: 'endpoint anonymous missing' });
  });

  it('fax: a number not routed to fax-in, and none at all, say how to generate the numbers', () => {
    const missing = check(withChannels(['7000', '7001']), channelFacts(), 'fax');
    expect(missing).to.include({ ok: false, detail: 'not routed to fax-in: 7001' });
    expect(missing.fix)
      .to.contain('scripts/fax-numbers.ts')
      .and.to.contain('extensions_ipcc_fax_numbers.conf');
    const none = channelFacts({}, [
      ['dialplan show acd', "[ Context 'acd' created by 'pbx_config' ]\n  '_[+0-9].' => 1. NoOp(x)\n"],
    ]);
    expect(check(withChannels(), none, 'fax').detail).to.equal('no fax number routed to fax-in');
  });

  it('fax: a missing context, a fax-in without ReceiveFAX, a module not running', () => {
    const noDone = channelFacts({}, [
      ['dialplan show fax-done', "There is no existence of 'fax-done' context\n"],
    ]);
    const d = check(withChannels(), noDone, 'fax');
    expect(d.detail).to.equal('context fax-done missing');
    expect(d.fix).to.contain('#include extensions_ipcc_fax.conf');
    const noReceive = channelFacts({}, [
      ['dialplan show fax-in', "[ Context 'fax-in' created by 'pbx_config' ]\n  '_X.' => 1. Answer()\n"],
    ]);
    expect(check(withChannels(), noReceive, 'fax').detail).to.equal('fax-in does not run ReceiveFAX');
    const modules = new Map(channelFacts().modules);
    modules.set('res_fax_spandsp.so', 'Not Running');
    expect(check(withChannels(), channelFacts({ modules }), 'fax').detail).to.equal(
      'not running: res_fax_spandsp.so (Not Running; their T.30 engine over audio (G.711) and T.38)',
    );
  });

  it('both are not checked while ARI does not answer, and say so', () => {
    const results = evaluate(
      withChannels(),
      channelFacts({ access: { kind: 'refused', status: 401 }, modules: undefined, sounds: undefined }),
    );
    expect(results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.detail}`)).to.deep.equal([
      'ari-user: refused (401): user or password not accepted',
      'modules: not checked: ARI did not answer',
      'sounds: not checked: ARI did not answer',
      'sms: not checked: ARI did not answer',
      'fax: not checked: ARI did not answer',
    ]);
  });
});
