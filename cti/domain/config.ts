import {
  CHANNELS,
  DEFAULT_MAX_TASKS,
  DEFAULT_MAX_TOTAL,
  MAX_SKILL_LEVEL,
  MIN_SKILL_LEVEL,
  REALTIME_CHANNELS,
  type AgentConfig,
  type AgentInput,
  type Channel,
  type QueueConfig,
  type QueueInput,
} from './types';
import { fail, ok, type Result } from './errors';
import { ANY_SKILL_NAME } from './skills';

const POLICIES = new Set(['longest-idle', 'least-calls', 'highest-skill']);
const TIMEOUT_ACTIONS = new Set(['voicemail', 'callback', 'release']);

/** Fills defaults and rejects what the indexes cannot represent, before anything is mutated. */
export function queueConfig(input: QueueInput): Result<QueueConfig> {
  const config: QueueConfig = {
    skills: [],
    priority: 0,
    policy: 'longest-idle',
    ringTimeoutMs: 20_000,
    wrapUpMs: 0,
    queueTimeoutMs: 0,
    timeoutAction: 'release',
    defaultHandleTimeMs: 180_000,
    callbackRetryMs: 300_000,
    callbackAttempts: 3,
    ...input,
  };
  const bad = (why: string): Result<QueueConfig> =>
    fail('INVALID_CONFIG', `queue ${String(config.id)}: ${why}`, { queueId: config.id });
  if (typeof config.id !== 'string' || config.id === '') return bad('id must be a non-empty string');
  if (!(CHANNELS as readonly string[]).includes(config.channel))
    return bad(`unknown channel ${config.channel}`);
  if (!POLICIES.has(config.policy)) return bad(`unknown policy ${config.policy}`);
  if (!TIMEOUT_ACTIONS.has(config.timeoutAction))
    return bad(`unknown timeout action ${config.timeoutAction}`);
  if (config.timeoutAction === 'callback' && !REALTIME_CHANNELS.has(config.channel)) {
    return bad('callback on timeout needs a voice or video queue');
  }
  if (!Number.isFinite(config.priority)) return bad('priority must be a number');
  for (const key of ['ringTimeoutMs', 'wrapUpMs', 'queueTimeoutMs', 'defaultHandleTimeMs'] as const) {
    if (!Number.isFinite(config[key]) || config[key] < 0) return bad(`${key} must be >= 0`);
  }
  if (!Number.isFinite(config.callbackRetryMs) || config.callbackRetryMs < 0)
    return bad('callbackRetryMs must be >= 0');
  if (!Number.isInteger(config.callbackAttempts) || config.callbackAttempts < 1)
    return bad('callbackAttempts must be an integer >= 1');
  const names = new Set<string>();
  for (const skill of config.skills) {
    if (!validSkillName(skill.name)) return bad(`invalid skill name ${String(skill.name)}`);
    if (names.has(skill.name)) return bad(`skill ${skill.name} required twice`);
    if (!validLevel(skill.minLevel))
      return bad(`skill ${skill.name}: minLevel ${skill.minLevel} out of range`);
    names.add(skill.name);
  }
  return ok(config);
}

export function agentConfig(input: AgentInput): Result<AgentConfig> {
  const maxTasks: Record<Channel, number> = { ...DEFAULT_MAX_TASKS, ...input.maxTasks };
  const config: AgentConfig = {
    id: input.id,
    skills: input.skills ?? {},
    maxTasks,
    maxTotal: input.maxTotal ?? DEFAULT_MAX_TOTAL,
    callBlocksTasks: input.callBlocksTasks ?? true,
  };
  const bad = (why: string): Result<AgentConfig> =>
    fail('INVALID_CONFIG', `agent ${String(config.id)}: ${why}`, { agentId: config.id });
  if (typeof config.id !== 'string' || config.id === '') return bad('id must be a non-empty string');
  for (const [name, level] of Object.entries(config.skills)) {
    if (!validSkillName(name)) return bad(`invalid skill name ${name}`);
    if (!validLevel(level)) return bad(`skill ${name}: level ${level} out of range`);
  }
  if (!Number.isInteger(config.maxTotal) || config.maxTotal < 0)
    return bad('maxTotal must be an integer >= 0');
  if (typeof config.callBlocksTasks !== 'boolean') return bad('callBlocksTasks must be true or false');
  for (const channel of CHANNELS) {
    const max = maxTasks[channel];
    if (!Number.isInteger(max) || max < 0) return bad(`maxTasks.${channel} must be an integer >= 0`);
    // The agent state machine holds one real-time contact at a time.
    if (REALTIME_CHANNELS.has(channel) && max > 1) return bad(`maxTasks.${channel} cannot exceed 1`);
  }
  return ok(config);
}

function validSkillName(name: unknown): boolean {
  return typeof name === 'string' && name !== '' && name !== ANY_SKILL_NAME;
}

function validLevel(level: unknown): boolean {
  return (
    Number.isInteger(level) && (level as number) >= MIN_SKILL_LEVEL && (level as number) <= MAX_SKILL_LEVEL
  );
}
