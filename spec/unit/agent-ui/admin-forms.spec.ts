import { expect } from '../../support/chai';
import { ApiError, fieldDetails } from '../../../agent-ui/src/adapters/as-api';
import type { Agent, Queue } from '../../../agent-ui/src/adapters/admin-api';
import {
  agentFormOf,
  agentInputOf,
  emptyAgentForm,
  AGENT_FIELD_PATHS,
} from '../../../agent-ui/src/views/console/admin/agent-form';
import { auditQueryOf, changedFields } from '../../../agent-ui/src/views/console/admin/audit-view';
import { formErrors, numberOrText } from '../../../agent-ui/src/views/console/admin/form-errors';
import {
  QUEUE_FIELD_PATHS,
  emptyQueueForm,
  queueFormOf,
  queueInputOf,
} from '../../../agent-ui/src/views/console/admin/queue-form';

describe('admin pages: form logic', () => {
  describe('AS refusals placed beside their fields', () => {
    it('each 400 detail goes to the field of its path; others and plain messages go above the form', () => {
      const err = new ApiError(400, 'bad', undefined, [
        { path: 'ringTimeoutSec', message: '"ringTimeoutSec" must be greater than or equal to 5' },
        { path: 'skills.1.minLevel', message: '"skills[1].minLevel" must be less than or equal to 10' },
        { path: 'skills.3', message: '"skills[3]" contains a duplicate value' },
        { path: 'nonsense', message: '"nonsense" is not allowed' },
      ]);
      const out = formErrors(err, QUEUE_FIELD_PATHS, 'fallback');
      expect([...out.fields.entries()]).to.deep.equal([
        ['ringTimeoutSec', '"ringTimeoutSec" must be greater than or equal to 5'],
        ['skills.1.minLevel', '"skills[1].minLevel" must be less than or equal to 10'],
        ['skills', '"skills[3]" contains a duplicate value'],
      ]);
      expect(out.form).to.equal('"nonsense" is not allowed');
      expect(formErrors(new ApiError(409, 'login taken'), AGENT_FIELD_PATHS, 'x')).to.deep.equal({
        fields: new Map(),
        form: 'login taken',
      });
      expect(formErrors(new Error('boom'), AGENT_FIELD_PATHS, 'fallback').form).to.equal('fallback');
    });

    it('reads details only when they are {path, message} pairs', () => {
      expect(fieldDetails({ details: [{ path: 'a', message: 'm' }, { path: 1 }] })).to.deep.equal([
        { path: 'a', message: 'm' },
      ]);
      expect(fieldDetails({ details: { flows: ['x'] } })).to.equal(undefined);
      expect(fieldDetails(undefined)).to.equal(undefined);
    });

    it('number fields: empty is not given, digits are numbers, other text goes as typed', () => {
      expect(numberOrText('')).to.equal(undefined);
      expect(numberOrText(' 25 ')).to.equal(25);
      expect(numberOrText('abc')).to.equal('abc');
    });
  });

  describe('agent form', () => {
    it('a new agent: login, password, roles, skills with levels, devices and caller id', () => {
      const form = {
        ...emptyAgentForm(false),
        login: ' jdoe ',
        displayName: 'Jane Doe',
        password: 'a-long-password-1',
        roles: ['agent' as const, 'supervisor' as const],
        skills: [{ name: 'french', level: '7' }],
        sip: 'PJSIP/jdoe',
        callerIdNumber: '+33100000000',
      };
      expect(agentInputOf(form, true)).to.deep.equal({
        login: 'jdoe',
        displayName: 'Jane Doe',
        roles: ['agent', 'supervisor'],
        skills: [{ name: 'french', level: 7 }],
        endpoints: { sip: 'PJSIP/jdoe' },
        maxTasks: { voice: 1, video: 1, email: 3, sms: 3, fax: 1 },
        callerId: { number: '+33100000000' },
        active: true,
        password: 'a-long-password-1',
      });
    });

    it('an edit sends no login, a password only when typed, supervises only when the model has it', () => {
      const agent: Agent = {
        id: 'a1',
        login: 'sup',
        displayName: 'Sup',
        roles: ['supervisor'],
        skills: [],
        maxTasks: { voice: 1 },
        active: true,
        supervises: ['sales'],
      };
      const form = agentFormOf(agent);
      expect(agentInputOf(form, false)).to.deep.equal({
        displayName: 'Sup',
        roles: ['supervisor'],
        skills: [],
        maxTasks: { voice: 1 },
        active: true,
        supervises: ['sales'],
      });
      expect(agentInputOf({ ...form, password: 'new-password-123' }, false)).to.have.property(
        'password',
        'new-password-123',
      );
      const { supervises: _gone, ...older } = agent;
      expect(agentInputOf(agentFormOf(older), false)).to.not.have.property('supervises');
    });
  });

  describe('queue form', () => {
    it('covers every field of the model and round-trips a queue (name only on create)', () => {
      const queue: Queue = {
        id: 'q1',
        name: 'sales',
        skills: [{ name: 'french', minLevel: 3 }],
        priority: 5,
        selectionPolicy: 'skill-level',
        ringTimeoutSec: 25,
        wrapUpSec: 15,
        queueTimeoutSec: 600,
        timeoutAction: 'callback',
        fallbackQueue: 'support',
        serviceLevelSec: 30,
        media: { music: 'queue-music', video: 'logo' },
        recording: true,
      };
      const { id: _id, name: _name, ...settings } = queue;
      expect(queueInputOf(queueFormOf(queue), false)).to.deep.equal(settings);
      expect(queueInputOf(queueFormOf(queue), true)).to.have.property('name', 'sales');
    });

    it('a new queue starts from the model defaults', () => {
      expect(queueInputOf({ ...emptyQueueForm(), name: 'new' }, true)).to.deep.equal({
        name: 'new',
        skills: [],
        priority: 0,
        ringTimeoutSec: 20,
        wrapUpSec: 10,
        queueTimeoutSec: 300,
        serviceLevelSec: 20,
        selectionPolicy: 'longest-idle',
        timeoutAction: 'voicemail',
        recording: false,
      });
    });
  });

  describe('audit page', () => {
    it('lists the fields a change touched, without ids and timestamps', () => {
      expect(
        changedFields({ id: '1', a: 1, b: [1], updatedAt: 'x' }, { id: '1', a: 1, b: [2], updatedAt: 'y' }),
      ).to.deep.equal(['b']);
      expect(changedFields(null, { id: '1', name: 'n', label: 'l' })).to.deep.equal(['label', 'name']);
    });

    it('turns the filter into the query: whole local days, page offsets', () => {
      const q = auditQueryOf({ actor: 'abc', action: 'update', from: '2026-12-07', to: '2026-12-07' }, 2, 25);
      expect(q).to.deep.equal({
        actor: 'abc',
        action: 'update',
        from: new Date(2026, 11, 7).toISOString(),
        to: new Date(2026, 11, 8).toISOString(),
        limit: 25,
        skip: 50,
      });
      expect(auditQueryOf({ actor: '', action: '', from: '', to: '' }, 0, 25)).to.deep.equal({
        limit: 25,
        skip: 0,
      });
    });
  });
});
