import {
  CHANNELS,
  PERSON_ROLES,
  type Agent,
  type AgentInput,
  type Channel,
  type PersonRole,
} from '../../../adapters/admin-api';
import { compact, numberOrText, textOrNothing } from './form-errors';

/** The agent form's state: what the inputs hold, as text (numbers are judged by the AS). */
export interface AgentForm {
  login: string;
  displayName: string;
  password: string;
  roles: PersonRole[];
  skills: { name: string; level: string }[];
  sip: string;
  webrtc: string;
  maxTasks: Record<Channel, string>;
  /** Empty: the AS's default (5). */
  maxTotal: string;
  /** undefined: not set on the record (the AS's default, true); sent only once set. */
  callBlocksTasks: boolean | undefined;
  callerIdName: string;
  callerIdNumber: string;
  active: boolean;
  /** undefined: the AS's model has no `supervises` (the field is not shown). */
  supervises: string[] | undefined;
}

/** Paths the AS names in its 400 answers, that the form shows beside a field. */
export const AGENT_FIELD_PATHS = [
  'login',
  'displayName',
  'password',
  'roles',
  ...Array.from({ length: 50 }, (_, i) => [`skills.${i}.name`, `skills.${i}.level`]).flat(),
  'skills',
  'endpoints.sip',
  'endpoints.webrtc',
  ...CHANNELS.map((c) => `maxTasks.${c}`),
  'maxTotal',
  'callerId.name',
  'callerId.number',
  'supervises',
];

export function emptyAgentForm(supervisesKnown: boolean): AgentForm {
  return {
    login: '',
    displayName: '',
    password: '',
    roles: ['agent'],
    skills: [],
    sip: '',
    webrtc: '',
    maxTasks: { voice: '1', video: '1', email: '3', sms: '3', fax: '1' },
    maxTotal: '',
    callBlocksTasks: undefined,
    callerIdName: '',
    callerIdNumber: '',
    active: true,
    supervises: supervisesKnown ? [] : undefined,
  };
}

export function agentFormOf(agent: Agent): AgentForm {
  const tasks = agent.maxTasks ?? {};
  return {
    login: agent.login,
    displayName: agent.displayName,
    password: '',
    roles: PERSON_ROLES.filter((r) => agent.roles.includes(r)),
    skills: agent.skills.map((s) => ({ name: s.name, level: String(s.level) })),
    sip: agent.endpoints?.sip ?? '',
    webrtc: agent.endpoints?.webrtc ?? '',
    maxTasks: Object.fromEntries(
      CHANNELS.map((c) => [c, tasks[c] === undefined ? '' : String(tasks[c])]),
    ) as Record<Channel, string>,
    maxTotal: agent.maxTotal === undefined ? '' : String(agent.maxTotal),
    callBlocksTasks: agent.callBlocksTasks,
    callerIdName: agent.callerId?.name ?? '',
    callerIdNumber: agent.callerId?.number ?? '',
    active: agent.active,
    supervises: agent.supervises === undefined ? undefined : [...agent.supervises],
  };
}

/**
 * The request body: on create the login and password; on edit the password only when one was typed (a
 * reset). Empty optional fields are left out (the AS refuses empty strings and keeps what it has).
 */
export function agentInputOf(form: AgentForm, creating: boolean): AgentInput {
  const endpoints = compact({ sip: textOrNothing(form.sip), webrtc: textOrNothing(form.webrtc) });
  const maxTasks = compact(Object.fromEntries(CHANNELS.map((c) => [c, numberOrText(form.maxTasks[c])])));
  const callerId = compact({
    name: textOrNothing(form.callerIdName),
    number: textOrNothing(form.callerIdNumber),
  });
  const input: Record<string, unknown> = {
    ...(creating ? { login: form.login.trim() } : {}),
    displayName: form.displayName.trim(),
    roles: form.roles,
    skills: form.skills.map((s) => ({ name: s.name.trim(), level: numberOrText(s.level) ?? '' })),
    ...(Object.keys(endpoints).length > 0 ? { endpoints } : {}),
    ...(Object.keys(maxTasks).length > 0 ? { maxTasks } : {}),
    ...compact({ maxTotal: numberOrText(form.maxTotal), callBlocksTasks: form.callBlocksTasks }),
    ...(Object.keys(callerId).length > 0 ? { callerId } : {}),
    active: form.active,
    ...(form.password !== '' || creating ? { password: form.password } : {}),
    ...(form.supervises !== undefined && form.roles.includes('supervisor')
      ? { supervises: form.supervises }
      : {}),
  };
  return input;
}
