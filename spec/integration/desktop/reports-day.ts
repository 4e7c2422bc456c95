/**
 * A day of contacts for the reports page test (spec/integration/desktop/reports-page.spec.ts), with the
 * figures the page must show worked out here by plain arithmetic, apart from the AS's report code.
 * Day 2025-03-10 (UTC), queues sales (service level 20 s) and support (30 s), demo agents 1001..1004.
 */
export const DAY = '2025-03-10';
export const at = (hms: string) => new Date(`${DAY}T${hms}Z`);
/** Marks the seeded contacts (a number in Ofcom's drama range) so the test removes exactly them. */
export const MARK = '+441632960999';

/** [queued at, queue, answering agent login, wait s, talk s] or [queued at, queue, null, wait s] (abandoned). */
type Seed = readonly [string, 'sales' | 'support', string | null, number, number?];

export const SEEDS: readonly Seed[] = [
  ['08:05:00', 'sales', '1001', 5, 180],
  ['08:40:00', 'sales', '1002', 12, 240],
  ['09:02:00', 'sales', '1001', 8, 300],
  ['09:20:00', 'sales', '1002', 15, 200],
  ['09:33:00', 'sales', '1004', 25, 160],
  ['09:50:00', 'sales', null, 30],
  ['09:12:00', 'support', '1003', 20, 400],
  ['10:01:00', 'sales', '1001', 10, 240],
  ['10:15:00', 'sales', '1004', 18, 360],
  ['10:31:00', 'sales', '1001', 22, 300],
  ['10:44:00', 'sales', '1004', 6, 120],
  ['10:52:00', 'sales', null, 50],
  ['11:10:00', 'sales', '1002', 14, 200],
  ['11:25:00', 'sales', '1001', 9, 280],
  ['11:40:00', 'sales', '1002', 30, 320],
  ['11:05:00', 'support', '1003', 40, 500],
  ['11:45:00', 'support', null, 70],
  ['12:10:00', 'sales', '1004', 20, 150],
  ['12:20:00', 'sales', '1002', 35, 210],
  ['12:35:00', 'sales', null, 45],
  ['12:50:00', 'sales', null, 20],
  ['13:05:00', 'sales', '1001', 7, 260],
  ['13:35:00', 'sales', '1004', 11, 190],
  ['13:50:00', 'sales', '1004', 16, 230],
  ['14:00:00', 'sales', '1001', 12, 300],
  ['14:10:00', 'sales', '1002', 26, 250],
  ['14:30:00', 'sales', '1004', 8, 180],
  ['14:45:00', 'sales', '1001', 19, 210],
  ['14:55:00', 'sales', null, 60],
  ['14:20:00', 'support', '1003', 25, 350],
  ['14:40:00', 'support', '1002', 10, 420],
  ['15:05:00', 'sales', '1002', 10, 240],
  ['15:50:00', 'sales', '1001', 13, 270],
  ['16:10:00', 'sales', '1004', 9, 200],
  ['16:30:00', 'sales', '1002', 28, 330],
  ['16:45:00', 'sales', null, 25],
  ['16:20:00', 'support', '1003', 15, 380],
  ['17:15:00', 'sales', '1001', 6, 180],
];

/** Not-ready spells: [login, reason, from, to]; each agent is Ready from 08:00 and logged out at 18:00. */
export const NOT_READY: readonly (readonly [string, string, string, string])[] = [
  ['1001', 'lunch', '12:00:00', '12:45:00'],
  ['1001', 'break', '15:30:00', '15:45:00'],
  ['1002', 'training', '10:00:00', '11:00:00'],
  ['1002', 'lunch', '13:00:00', '13:30:00'],
  ['1003', 'lunch', '12:30:00', '13:15:00'],
];
export const AGENTS = ['1001', '1002', '1003', '1004'];
const THRESHOLD = { sales: 20, support: 30 } as const;

export function interactionDocs(agentIds: ReadonlyMap<string, string>) {
  return SEEDS.map(([hms, queue, login, wait, talk], i) => {
    const queuedAt = at(hms);
    const reached = new Date(queuedAt.getTime() + wait * 1000);
    const answered = login !== null;
    return {
      _id: `reports-page-${DAY}-${String(i).padStart(2, '0')}`,
      channel: 'voice',
      direction: 'inbound',
      from: MARK,
      to: '100',
      state: 'Cleared',
      queueId: queue,
      createdAt: queuedAt,
      queuedAt,
      ...(answered
        ? {
            agentId: agentIds.get(login),
            answeredAt: reached,
            endedAt: new Date(reached.getTime() + (talk ?? 0) * 1000),
            abandoned: false,
          }
        : { endedAt: reached, abandoned: true }),
    };
  });
}

export function stateDocs(agentIds: ReadonlyMap<string, string>) {
  return AGENTS.flatMap((login) => {
    const agentId = agentIds.get(login) as string;
    const spells = NOT_READY.filter(([l]) => l === login).flatMap(([, reason, from, to]) => [
      { agentId, state: 'NotReady', reason, at: at(from) },
      { agentId, state: 'Ready', at: at(to) },
    ]);
    return [
      // Pins the state each agent was in when the day opened, whatever the store held before.
      { agentId, state: 'LoggedOut', at: new Date(`2025-03-09T23:59:00Z`) },
      { agentId, state: 'Ready', at: at('08:00:00') },
      ...spells,
      { agentId, state: 'LoggedOut', at: at('18:00:00') },
    ];
  });
}

/** The figures of a set of seeds, as the page writes them (counts, one-decimal %, m:ss). */
function figures(seeds: readonly Seed[]) {
  const answered = seeds.filter((s) => s[2] !== null);
  const abandoned = seeds.length - answered.length;
  const within = answered.filter((s) => s[3] <= THRESHOLD[s[1]]).length;
  const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    offered: seeds.length,
    answered: answered.length,
    abandoned,
    abandonPct: seeds.length === 0 ? null : Math.round((abandoned / seeds.length) * 1000) / 10,
    slPct: seeds.length === 0 ? null : Math.round((within / seeds.length) * 1000) / 10,
    asa: mean(answered.map((s) => s[3])),
    aht: mean(answered.map((s) => s[4] ?? 0)),
    longest: seeds.length === 0 ? null : Math.max(...seeds.map((s) => s[3])),
  };
}

const clock = (sec: number | null) => {
  if (sec === null) return '—';
  const whole = Math.round(sec);
  const ss = String(whole % 60).padStart(2, '0');
  if (whole < 3600) return `${Math.floor(whole / 60)}:${ss}`;
  return `${Math.floor(whole / 3600)}:${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}:${ss}`;
};
const pct = (p: number | null) => (p === null ? '—' : `${p.toFixed(1)}%`);
/** Seconds as the AS rounds them (0.01 s) and a CSV writes them. */
const secs = (sec: number | null) => (sec === null ? '' : String(Math.round(sec * 100) / 100));
const csvPct = (p: number | null) => (p === null ? '' : String(p));

const hours = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
const inHour = (h: string, queues: readonly string[]) =>
  SEEDS.filter((s) => s[0].startsWith(`${h}:`) && queues.includes(s[1]));

function tableRow(label: string, f: ReturnType<typeof figures>) {
  return [
    label,
    String(f.offered),
    String(f.answered),
    String(f.abandoned),
    pct(f.abandonPct),
    pct(f.slPct),
    clock(f.asa),
    clock(f.aht),
    clock(f.longest),
  ];
}
function csvRow(label: string, f: ReturnType<typeof figures>) {
  return [
    label,
    f.offered,
    f.answered,
    f.abandoned,
    csvPct(f.abandonPct),
    csvPct(f.slPct),
    secs(f.asa),
    secs(f.aht),
    secs(f.longest),
  ].join(',');
}

/** The interval table (1 h) for the queues: header, 24 hours, total. */
export function expectedIntervalTable(queues: readonly string[]): string[][] {
  const all = SEEDS.filter((s) => queues.includes(s[1]));
  return [
    [
      'Interval (UTC)',
      'Offered',
      'Answered',
      'Abandoned',
      'Abandon rate',
      'Service level',
      'ASA',
      'AHT',
      'Longest wait',
    ],
    ...hours.map((h) => tableRow(`${h}:00`, figures(inHour(h, queues)))),
    tableRow('Total', figures(all)),
  ];
}

export function expectedIntervalCsv(queues: readonly string[]): string {
  const all = SEEDS.filter((s) => queues.includes(s[1]));
  const lines = [
    'Interval start (UTC),Offered,Answered,Abandoned,Abandon rate (%),Service level (%),ASA (s),AHT (s),Longest wait (s)',
    ...hours.map((h) => csvRow(`${DAY}T${h}:00:00.000Z`, figures(inHour(h, queues)))),
    csvRow('Total', figures(all)),
  ];
  return lines.map((l) => `${l}\r\n`).join('');
}

/** The not-ready reasons of these agents, sorted: the page's reason columns. */
const reasonsOf = (logins: readonly string[]) =>
  [...new Set(NOT_READY.filter(([l]) => logins.includes(l)).map(([, r]) => r))].sort();

/** Each agent over the day: login, handled, talk s, not-ready s and s per reason. */
function agentFigures(queues: readonly string[], logins: readonly string[]) {
  return logins.map((login) => {
    const mine = SEEDS.filter((s) => s[2] === login && queues.includes(s[1]));
    const byReason = reasonsOf(logins).map((reason) =>
      NOT_READY.filter(([l, r]) => l === login && r === reason).reduce(
        (sum, [, , from, to]) => sum + (at(to).getTime() - at(from).getTime()) / 1000,
        0,
      ),
    );
    return {
      login,
      handled: mine.length,
      talk: mine.reduce((sum, s) => sum + (s[4] ?? 0), 0),
      notReady: byReason.reduce((a, b) => a + b, 0),
      byReason,
    };
  });
}

/** The agent table for the queues and their team (`logins`). */
export function expectedAgentTable(queues: readonly string[], logins: readonly string[]): string[][] {
  return [
    ['Agent', 'Handled', 'Talk time', 'Not ready', ...reasonsOf(logins).map((r) => `Not ready: ${r}`)],
    ...agentFigures(queues, logins).map((a) => [
      a.login,
      String(a.handled),
      clock(a.talk),
      clock(a.notReady),
      ...a.byReason.map(clock),
    ]),
  ];
}

export function expectedAgentCsv(queues: readonly string[], logins: readonly string[]): string {
  const lines = [
    `Agent,Handled,Talk time (s),Not ready (s),${reasonsOf(logins)
      .map((r) => `Not ready: ${r} (s)`)
      .join(',')}`,
    ...agentFigures(queues, logins).map((a) =>
      [a.login, a.handled, a.talk, a.notReady, ...a.byReason].join(','),
    ),
  ];
  return lines.map((l) => `${l}\r\n`).join('');
}

export const totals = (queues: readonly string[]) => figures(SEEDS.filter((s) => queues.includes(s[1])));
