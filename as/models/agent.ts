import { Schema, model, type InferSchemaType, type HydratedDocument } from 'mongoose';
import { ROLES } from '../../lib/auth-token';
import { baseOptions, NAME_PATTERN } from './options';

export const CHANNELS = ['voice', 'video', 'email', 'sms', 'fax'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Roles a person can hold; `ivr` is a service identity, never an account. */
export const PERSON_ROLES = ROLES.filter((r) => r !== 'ivr');

const skillSchema = new Schema(
  {
    name: { type: String, required: true, match: NAME_PATTERN },
    level: { type: Number, required: true, min: 1, max: 10 },
  },
  { _id: false },
);

/**
 * One collection for every person who logs in (agents, supervisors, administrators), told apart by
 * `roles`, so the CTI sees a supervisor who also takes calls as one agent.
 */
const agentSchema = new Schema(
  {
    login: { type: String, required: true, unique: true, match: /^[a-z0-9][a-z0-9._-]{0,63}$/ },
    passwordHash: { type: String, required: true, select: false },
    displayName: { type: String, required: true, maxlength: 120 },
    roles: {
      type: [{ type: String, enum: PERSON_ROLES }],
      required: true,
      validate: { validator: (v: string[]) => v.length > 0, message: 'at least one role' },
    },
    skills: { type: [skillSchema], default: [] },
    /**
     * The queues (by name) a supervisor watches and acts on: its wallboard, agent control and reports
     * cover these alone. An administrator sees every queue whatever this holds.
     */
    supervises: {
      type: [{ type: String, match: NAME_PATTERN }],
      default: [],
      validate: {
        validator: (v: string[]) => v.length <= 100 && new Set(v).size === v.length,
        message: 'at most 100 queues, each once',
      },
    },
    endpoints: {
      sip: { type: String, match: /^PJSIP\/[A-Za-z0-9_.-]{1,64}$/ },
      webrtc: { type: String, match: /^PJSIP\/[A-Za-z0-9_.-]{1,64}$/ },
    },
    /** Concurrent tasks the CTI may give this agent, per channel. */
    maxTasks: {
      voice: { type: Number, min: 0, max: 10, default: 1 },
      video: { type: Number, min: 0, max: 10, default: 1 },
      email: { type: Number, min: 0, max: 20, default: 3 },
      sms: { type: Number, min: 0, max: 20, default: 3 },
      fax: { type: Number, min: 0, max: 10, default: 1 },
    },
    /**
     * Concurrent contacts across every channel (a call counts as one). The default, 9, is the channels'
     * defaults added up: only the per-channel limits apply until an administrator sets a lower total,
     * so tasks waiting never keep an agent from calls unless the centre wants that.
     */
    maxTotal: { type: Number, min: 1, max: 50, default: 9 },
    /** While the agent has a voice or video contact (or wraps one up), no task is offered to it. */
    callBlocksTasks: { type: Boolean, default: true },
    /** Presentation on calls the agent places. */
    callerId: {
      name: { type: String, maxlength: 80 },
      number: { type: String, maxlength: 32 },
    },
    active: { type: Boolean, default: true },
    /** Bumped to revoke every token issued so far; tokens carry it as the `ver` claim (lib/auth-token.ts). */
    tokenVersion: { type: Number, min: 0, default: 0 },
    createdAt: { type: Date, default: () => new Date() },
    updatedAt: { type: Date, default: () => new Date() },
  },
  { ...baseOptions, collection: 'agents' },
);

export type AgentData = InferSchemaType<typeof agentSchema>;
export type AgentDocument = HydratedDocument<AgentData>;
export const Agent = model('Agent', agentSchema);
