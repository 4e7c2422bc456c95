import { expect } from '../../support/chai';
import { ApiError } from '../../../agent-ui/src/adapters/as-api';
import { MessagesApi, parseThread, parseTemplates } from '../../../agent-ui/src/adapters/messages-api';

interface Asked {
  method: string;
  url: string;
  auth: string | null;
  body: unknown;
}

/** A MessagesApi whose fetch answers every request with `status` and `body`, and records what was asked. */
function apiAnswering(status: number, body: BodyInit | null, token: string | undefined = 'tok') {
  const asked: Asked[] = [];
  const fetchImpl = ((url: string, init: RequestInit) => {
    asked.push({
      method: String(init.method),
      url,
      auth: new Headers(init.headers).get('authorization'),
      body: init.body,
    });
    return Promise.resolve(new Response(body, { status }));
  }) as typeof fetch;
  return { api: new MessagesApi(() => token, '/api/v1', fetchImpl), asked };
}

const STORED = {
  id: 'm2',
  interactionId: 'c1',
  channel: 'email',
  direction: 'inbound',
  from: 'ann@customer.test',
  to: ['support@ipcc.local'],
  subject: 'Invoice',
  text: 'Hello',
  html: '<p>Hello</p>',
  attachments: [{ fileId: 'f1', name: 'a.pdf', contentType: 'application/pdf', size: 1234 }],
  status: 'received',
  via: 'smtp',
  createdAt: '2026-12-07T10:00:02Z',
};

describe('agent-ui inbox AS calls (agent-ui/src/adapters/messages-api)', () => {
  it('reads the thread oldest first, with attachment metadata, leniently', () => {
    const thread = parseThread([
      STORED,
      {
        _id: 'm1',
        channel: 'email',
        direction: 'outbound',
        from: 'x',
        to: 'y',
        status: 'sent',
        createdAt: '2026-12-07T10:00:01Z',
        sentAt: '2026-12-07T10:00:05Z',
        extra: 1,
      },
      { no: 'id' },
    ]);
    expect(thread.map((m) => m.id)).to.deep.equal(['m1', 'm2']);
    expect(thread[0]).to.deep.include({
      direction: 'outbound',
      to: ['y'],
      cc: [],
      attachments: [],
      status: 'sent',
      sentAt: Date.parse('2026-12-07T10:00:05Z'),
    });
    expect(thread[1]).to.deep.include({
      subject: 'Invoice',
      html: '<p>Hello</p>',
      attachments: [{ fileId: 'f1', name: 'a.pdf', contentType: 'application/pdf', size: 1234 }],
      createdAt: Date.parse('2026-12-07T10:00:02Z'),
    });
    expect(parseThread({ messages: [STORED] }).map((m) => m.id)).to.deep.equal(['m2']);
    expect(parseThread('nonsense')).to.deep.equal([]);
  });

  it('reads templates and drops incomplete ones', () => {
    expect(
      parseTemplates([
        { id: 't1', name: 'Thanks', channel: 'email', text: 'Thank you' },
        { id: 't2', name: 'x' },
      ]),
    ).to.deep.equal([{ id: 't1', name: 'Thanks', channel: 'email', text: 'Thank you' }]);
  });

  it('asks the contract routes with the bearer token', async () => {
    const { api, asked } = apiAnswering(200, JSON.stringify([STORED]));
    const thread = await api.thread('c 1');
    expect(thread).to.have.length(1);
    await api.templates('sms');
    await api.profile();
    expect(asked.map((a) => [a.method, a.url, a.auth])).to.deep.equal([
      ['GET', '/api/v1/interactions/c%201/messages', 'Bearer tok'],
      ['GET', '/api/v1/reply-templates?channel=sms', 'Bearer tok'],
      ['GET', '/api/v1/me', 'Bearer tok'],
    ]);
  });

  it('posts a reply as multipart (text, template, files) and reads the 202 message', async () => {
    const { api, asked } = apiAnswering(
      202,
      JSON.stringify({ ...STORED, id: 'r1', direction: 'outbound', status: 'queued' }),
    );
    const file = new File([new Uint8Array([1, 2, 3])], 'note.txt', { type: 'text/plain' });
    const sent = await api.reply('c1', { text: 'Thanks', templateId: 't1', files: [file] });
    expect(sent).to.deep.include({ id: 'r1', status: 'queued', direction: 'outbound' });
    const form = asked[0]?.body as FormData;
    expect(asked[0]?.url).to.equal('/api/v1/interactions/c1/replies');
    expect(form.get('text')).to.equal('Thanks');
    expect(form.get('templateId')).to.equal('t1');
    const part = form.get('files') as File;
    expect([part.name, part.size]).to.deep.equal(['note.txt', 3]);
    expect(form.has('html')).to.equal(false);
  });

  it("downloads an attachment's bytes", async () => {
    const { api, asked } = apiAnswering(200, new Uint8Array([9, 8, 7]));
    const blob = await api.attachment('f1');
    expect([...new Uint8Array(await blob.arrayBuffer())]).to.deep.equal([9, 8, 7]);
    expect(asked[0]?.url).to.equal('/api/v1/attachments/f1');
  });

  it("turns a refusal into an ApiError with the AS's message; a network failure is status 0", async () => {
    const { api } = apiAnswering(409, JSON.stringify({ message: 'the number opted out' }));
    const err = await api.reply('c1', { text: 'x', files: [] }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(ApiError);
    expect(err).to.include({ status: 409, message: 'the number opted out' });
    const down = new MessagesApi(
      () => undefined,
      '/api/v1',
      () => Promise.reject(new Error('offline')),
    );
    const e0 = await down.thread('c1').catch((e: unknown) => e);
    expect(e0).to.include({ status: 0, message: 'offline' });
  });
});
