import { randomUUID } from 'node:crypto';
import { expect } from '../../support/chai';
import { Interaction } from '../../../as/models';
import { body, call, setUp, tearDown, type Fixture } from './fixture';

/**
 * Security 2 of issue 10: an agent linked a customer to its own contact, gave that customer someone
 * else's phone number, and the screen pop listed that number's whole history (other agents' contacts).
 * The history follows the rule of GET /interactions/{id}: an agent sees only contacts offered to it.
 */
describe('AS screen pop: the history follows the contact ownership rule (integration)', () => {
  let f: Fixture;
  const victim = '+33199000077';
  const ofB = [randomUUID(), randomUUID()];
  const ofA = randomUUID();
  const unassigned = randomUUID();

  before(async () => {
    f = await setUp();
    const contact = (id: string, createdAt: string, agentId?: string) => ({
      _id: id,
      channel: 'voice',
      direction: 'inbound',
      from: victim,
      to: '100',
      state: 'cleared',
      createdAt: new Date(createdAt),
      ...(agentId === undefined ? {} : { agentId }),
    });
    await Interaction.insertMany([
      contact(ofB[0] as string, '2026-01-10T10:00:00Z', f.ids.agentB),
      contact(ofB[1] as string, '2026-01-11T10:00:00Z', f.ids.agentB),
      contact(ofA, '2026-01-12T10:00:00Z', f.ids.agentA),
      contact(unassigned, '2026-01-13T10:00:00Z'),
    ]);
  });
  after(async () => tearDown(f));

  it("an agent that links a customer with another agent's caller's number sees none of that agent's contacts", async () => {
    const created = await call(f, 'POST', '/api/v1/customers', {
      token: f.tokens.agentA,
      payload: { lastName: 'Bait', phones: [victim], contactId: f.contacts.a2 },
    });
    expect(created.statusCode).to.equal(201);
    const pop = await call(f, 'GET', `/api/v1/screen-pop/${f.contacts.a2}`, { token: f.tokens.agentA });
    expect(pop.statusCode).to.equal(200);
    const history = body<{ customer: { lastName: string }; history: { id: string; agentId?: string }[] }>(
      pop,
    );
    expect(history.customer.lastName).to.equal('Bait');
    // Only agent A's own contact from that number: neither B's two nor the unassigned one.
    expect(history.history.map((h) => h.id)).to.deep.equal([ofA]);

    // The same customer through PATCH (a number added later) changes nothing.
    const id = body<{ id: string }>(created).id;
    const patched = await call(f, 'PATCH', `/api/v1/customers/${id}`, {
      token: f.tokens.agentA,
      payload: { phones: [victim, '+33199000002'] },
    });
    expect(patched.statusCode).to.equal(200);
    const again = await call(f, 'GET', `/api/v1/screen-pop/${f.contacts.a2}`, { token: f.tokens.agentA });
    expect(body<{ history: { id: string }[] }>(again).history.map((h) => h.id)).to.deep.equal([ofA]);
  });

  it("a supervisor's screen pop still lists every contact of the customer", async () => {
    const pop = await call(f, 'GET', `/api/v1/screen-pop/${f.contacts.a2}`, { token: f.tokens.supervisor });
    expect(pop.statusCode).to.equal(200);
    const ids = body<{ history: { id: string }[] }>(pop).history.map((h) => h.id);
    expect(ids).to.have.members([unassigned, ofA, ...ofB]);
    expect(ids).to.have.length(4);
  });

  it('an unknown caller: an agent sees only its own earlier contacts from the same number', async () => {
    // Agent B's newest contact from the number has no customer (the bait customer matches it though):
    // whatever the match, B sees only B's contacts.
    const pop = await call(f, 'GET', `/api/v1/screen-pop/${ofB[1] as string}`, { token: f.tokens.agentB });
    expect(pop.statusCode).to.equal(200);
    expect(body<{ history: { id: string }[] }>(pop).history.map((h) => h.id)).to.deep.equal([ofB[0]]);
  });
});
