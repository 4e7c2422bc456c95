import type { FlowNode } from '../lib/flow/flow';

/** The demo tenant. Numbers are in ranges reserved for fiction (Ofcom drama range, ARCEP 01 99 00). */
export const demoPrompts = [
  { name: 'welcome', description: 'Welcome greeting (audio + video)', formats: ['ulaw', 'h264'] },
  {
    name: 'menu',
    description: 'Press 1 for sales, 2 for support, 9 for your balance, 0 to hang up',
    formats: ['ulaw', 'h264'],
  },
  { name: 'queue-music', description: 'Music and video loop while waiting', formats: ['ulaw', 'h264'] },
  { name: 'invalid', description: 'That choice is not valid', formats: ['ulaw', 'h264'] },
  { name: 'no-input', description: 'We did not receive your choice', formats: ['ulaw', 'h264'] },
  { name: 'goodbye', description: 'Goodbye', formats: ['ulaw', 'h264'] },
];

export const demoQueues = [
  {
    name: 'sales',
    skills: [{ name: 'sales', minLevel: 1 }],
    priority: 10,
    selectionPolicy: 'longest-idle' as const,
    ringTimeoutSec: 20,
    wrapUpSec: 10,
    queueTimeoutSec: 300,
    timeoutAction: 'voicemail' as const,
    serviceLevelSec: 20,
    media: { music: 'queue-music', video: 'queue-music' },
    recording: true,
  },
  {
    name: 'support',
    skills: [{ name: 'support', minLevel: 1 }],
    priority: 5,
    selectionPolicy: 'skill-level' as const,
    ringTimeoutSec: 20,
    wrapUpSec: 30,
    queueTimeoutSec: 600,
    timeoutAction: 'callback' as const,
    serviceLevelSec: 30,
    media: { music: 'queue-music', video: 'queue-music' },
    recording: false,
  },
  {
    // The callback line (called number 202): a caller waiting 20 s is offered a callback, which keeps
    // its place and is dialled when it reaches the head (the callback integration test uses it).
    name: 'callbacks',
    skills: [{ name: 'support', minLevel: 1 }],
    priority: 1,
    selectionPolicy: 'longest-idle' as const,
    ringTimeoutSec: 20,
    wrapUpSec: 0,
    queueTimeoutSec: 20,
    timeoutAction: 'callback' as const,
    serviceLevelSec: 20,
    media: { music: 'queue-music', video: 'queue-music' },
    recording: false,
  },
  // Task queues (docs/tasks.md): ISAG files an inbound message under the queue naming its address.
  // A message waits until an agent takes it (no queue timeout); the service level is 4 hours.
  ...(
    [
      ['email', 'support@ipcc.local'],
      ['sms', '+15550100'],
      ['fax', '7000'],
    ] as const
  ).map(([channel, address]) => ({
    name: channel,
    channel,
    addresses: [address],
    skills: [],
    priority: 0,
    selectionPolicy: 'longest-idle' as const,
    ringTimeoutSec: 60,
    wrapUpSec: 0,
    queueTimeoutSec: 0,
    timeoutAction: 'release' as const,
    serviceLevelSec: 14_400,
    recording: false,
  })),
];

export const demoAgents = [
  { login: '1001', displayName: 'Agent 1001', skills: [{ name: 'sales', level: 5 }] },
  {
    login: '1002',
    displayName: 'Agent 1002',
    skills: [
      { name: 'sales', level: 3 },
      { name: 'support', level: 2 },
    ],
  },
  { login: '1003', displayName: 'Agent 1003', skills: [{ name: 'support', level: 5 }] },
  {
    login: '1004',
    displayName: 'Agent 1004',
    skills: [
      { name: 'support', level: 3 },
      { name: 'sales', level: 1 },
    ],
  },
].map((a) => ({
  ...a,
  roles: ['agent' as const],
  // A desk phone and a browser softphone each (agent-webrtc template); the agent picks one at login.
  endpoints: { sip: `PJSIP/agent${a.login}`, webrtc: `PJSIP/webrtc${a.login}` },
  maxTasks: { voice: 1, video: 1, email: 3, sms: 2, fax: 1 },
  // One call plus every task channel full (1 + 3 + 2 + 1): e-mails, SMS and faxes waiting never keep a
  // demo agent from a call; a centre that wants tasks to hold calls back sets a lower total.
  maxTotal: 7,
  callBlocksTasks: true,
  callerId: { name: 'IPCC Demo', number: '100' },
}));

export const demoStaff = [
  // Supervises every demo queue (its wallboard, agent control and reports cover them).
  {
    login: 'supervisor',
    displayName: 'Demo Supervisor',
    roles: ['supervisor' as const],
    skills: [],
    supervises: demoQueues.map((q) => q.name),
    // The phones a monitor, whisper or barge session rings (docs/supervisor.md): generated into
    // pjsip_agents.conf with the agents' (scripts/agent-endpoints.ts), same templates.
    endpoints: { sip: 'PJSIP/desk-supervisor', webrtc: 'PJSIP/webrtc-supervisor' },
  },
  {
    login: 'admin',
    displayName: 'Demo Administrator',
    roles: ['admin' as const],
    skills: [],
    // The browser softphone the flow editor's Test call rings (docs/flow-editor.md): without it a fresh
    // system's administrator cannot test a flow. Generated like the agents' (scripts/agent-endpoints.ts).
    endpoints: { webrtc: 'PJSIP/webrtc-admin' },
  },
];

const nodes: FlowNode[] = [
  { id: 'welcome', type: 'play', prompt: 'welcome', next: 'main' },
  {
    id: 'main',
    type: 'menu',
    prompt: 'menu',
    choices: [
      { key: '1', next: 'to-sales' },
      { key: '2', next: 'to-support' },
      { key: '9', next: 'balance' },
      { key: '0', next: 'bye' },
    ],
    invalidPrompt: 'invalid',
    noInputPrompt: 'no-input',
    timeoutSec: 5,
    maxRetries: 2,
    default: 'bye',
  },
  { id: 'to-sales', type: 'queue', queue: 'sales' },
  { id: 'to-support', type: 'queue', queue: 'support' },
  { id: 'balance', type: 'data', field: 'balance', next: 'main', notFound: 'main' },
  { id: 'bye', type: 'hangup', prompt: 'goodbye' },
];

export const demoFlow = {
  name: 'Demo video IVR',
  calledNumber: '100',
  media: 'video' as const,
  entry: 'welcome',
  nodes,
};

export const demoCustomers = [
  {
    firstName: 'Alice',
    lastName: 'Martin',
    phones: ['+33199000001'],
    emails: ['alice.martin@example.com'],
    custom: { balance: 120.5, tier: 'gold' },
  },
  {
    firstName: 'Bruno',
    lastName: 'Dupont',
    phones: ['+33199000002', '+33612000002'],
    emails: ['bruno.dupont@example.org'],
    custom: { balance: -15, tier: 'standard' },
  },
  {
    firstName: 'Carol',
    lastName: 'Smith',
    phones: ['+447700900003'],
    emails: ['carol@example.net'],
    custom: { balance: 0, tier: 'standard' },
  },
];
