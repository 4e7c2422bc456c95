/**
 * Every piece of text the agent desktop, the console and the customer's call page show, in one module
 * (translations replace it): this file and its parts in strings/, one per page or console area, put
 * together here so no file grows past 500 lines. Views hold no literal text, and no key is defined in
 * two parts; spec/unit/agent-ui/strings.spec.ts checks all three.
 */

import { ADMIN_STRINGS } from './strings/admin';
import { CALL_PAGE_STRINGS } from './strings/call-page';
import { DESKTOP_STRINGS } from './strings/desktop';
import { FLOW_STRINGS } from './strings/flows';
import { INBOX_STRINGS } from './strings/inbox';
import { REPORTS_STRINGS } from './strings/reports';

/** The console's shell, wallboard and supervision text. */
const CONSOLE_STRINGS = {
  appTitle: 'Agent desktop',

  // Console (supervisors and administrators): shell
  consoleTitle: 'Contact center console',
  consoleSignInHeading: 'Sign in to the console',
  consoleNotAllowed: 'This account is neither a supervisor nor an administrator.',
  consoleNav: 'Console areas',
  consoleLink: 'Console',
  signedInAs: (who: string) => `Signed in as ${who}`,
  loading: 'Loading…',
  areaLoadFailed: (why: string) => `This page could not be loaded: ${why}`,
  areaWallboard: 'Wallboard',
  areaReports: 'Reports',
  areaAdmin: 'Administration',
  areaFlows: 'IVR flows',

  // Console: wallboard (supervisor)
  wbConnecting: 'Connecting to CTI…',
  wbLive: 'Live',
  wbReconnecting: (seconds: string) => `Connection lost; reconnecting in ${seconds} s`,
  wbReconnectNow: 'Reconnect now',
  wbForbidden: 'This account may not open the wallboard.',
  wbUnauthorized: 'Your session has ended; sign in again.',
  wbScopeAll: 'All queues',
  wbScope: (queues: string) => `Your queues: ${queues}`,
  wbNoQueues: 'No queues are assigned to you; an administrator sets them on your account.',
  wbTvOn: 'TV mode',
  wbTvOff: 'Leave TV mode',
  wbQueuesCaption: 'Queues today',
  wbQueue: 'Queue',
  wbWaiting: 'Waiting',
  wbLongestWait: 'Longest wait',
  wbReady: 'Ready',
  wbBusy: 'Busy',
  wbNotReady: 'Not ready',
  wbWrapUp: 'Wrap-up',
  wbOffered: 'Offered',
  wbAnswered: 'Answered',
  wbAbandoned: 'Abandoned',
  wbServiceLevel: 'Service level',
  wbAsa: 'ASA',
  wbNone: '—',
  wbContactsCaption: 'Callers waiting',
  wbNoContacts: 'Nobody is waiting.',
  wbCaller: 'Caller',
  wbUnknownCaller: 'Unknown number',
  wbCallback: (who: string) => `${who} (callback)`,
  wbPriority: 'Priority',
  wbRaisedMark: 'Raised',
  wbNormal: 'Normal',
  wbActions: 'Actions',
  wbMoveTarget: (who: string) => `Queue to move ${who} to`,
  wbMove: (who: string) => `Move ${who}`,
  wbMoveShort: 'Move',
  wbRaise: (who: string) => `Raise priority of ${who}`,
  wbRaiseShort: 'Raise priority',
  wbAgentsCaption: 'Agents',
  wbAgent: 'Agent',
  wbState: 'State',
  wbReason: 'Reason',
  wbSince: 'Time in state',
  wbContact: 'Contact',
  wbServes: 'Queues',
  wbPhone: 'Listen on',
  wbPhoneSoftphone: 'Browser softphone',
  wbPhoneDesk: 'Desk phone',
  wbPhoneState: 'Browser softphone state',
  wbPhoneLoading: 'Browser softphone: looking up your account…',
  wbPhoneConnecting: 'Browser softphone connecting…',
  wbPhoneRegistered: 'Browser softphone registered',
  wbPhoneUnregistered: 'Browser softphone not registered',
  wbPhoneFailed: (why: string) => `Browser softphone failed: ${why}`,
  wbPhoneNone: 'No browser softphone on your account: listen on your desk phone.',
  wbPhoneError: 'The browser softphone could not be set up: listen on your desk phone.',
  wbPhoneAudio: 'Sound of the supervised call',
  wbListen: (who: string) => `Listen to ${who}`,
  wbWhisper: (who: string) => `Whisper to ${who}`,
  wbBarge: (who: string) => `Barge in on ${who}`,
  wbStop: (who: string) => `Stop supervising ${who}`,
  wbListenShort: 'Listen',
  wbWhisperShort: 'Whisper',
  wbBargeShort: 'Barge',
  wbStopShort: 'Stop',
  wbForceReason: (who: string) => `Not-ready reason for ${who}`,
  wbForceNotReady: (who: string) => `Force ${who} not ready`,
  wbForceNotReadyShort: 'Force not ready',
  wbForceLogout: (who: string) => `Force ${who} to log out`,
  wbForceLogoutShort: 'Force log out',
  wbSupervising: (mode: string) => `Supervising: ${mode}`,
  wbModeListen: 'listening',
  wbModeWhisper: 'whispering',
  wbModeBarge: 'barged in',
  wbDoneNotReady: (who: string) => `${who} is now not ready.`,
  wbDoneLogout: (who: string) => `${who} was logged out.`,
  wbDoneMoved: (queue: string) => `The caller now waits in ${queue}.`,
  wbDoneRaised: 'The caller is now served first.',
  wbSuperviseStarted: (who: string) => `Supervising ${who}: your phone rings.`,
  wbSuperviseChanged: (who: string) => `Supervision mode of ${who} changed.`,
  wbSuperviseStopped: (who: string) => `Supervision of ${who} stopped.`,
  wbRefused: (why: string) => `Refused: ${why}`,
  wbNotConnected: 'Not connected to CTI; try again in a moment.',
  wbThresholds: (target: string, alarm: string) =>
    `Service level: answered within the queue's threshold ÷ offered today (abandoned calls count; callers still waiting within the threshold do not yet). Green from ${target}, amber below it, red below ${alarm}.`,
  wbWaitThresholds:
    "Longest wait: amber from the queue's service-level threshold (shown under it), red from twice it.",
  wbThresholdOf: (seconds: string) => `threshold ${seconds} s`,
  wbDay: (day: string) => `Today (${day}), CTI's local day`,

  // Console: monitor, whisper, barge (supervisor)
} as const;

/** Each part on its own: a key defined in two parts would be silently overridden in STRINGS. */
export const STRING_PARTS = {
  desktop: DESKTOP_STRINGS,
  inbox: INBOX_STRINGS,
  callPage: CALL_PAGE_STRINGS,
  console: CONSOLE_STRINGS,
  reports: REPORTS_STRINGS,
  admin: ADMIN_STRINGS,
  flows: FLOW_STRINGS,
} as const;

export const STRINGS = {
  ...DESKTOP_STRINGS,
  ...INBOX_STRINGS,
  ...CALL_PAGE_STRINGS,
  ...CONSOLE_STRINGS,
  ...REPORTS_STRINGS,
  ...ADMIN_STRINGS,
  ...FLOW_STRINGS,
} as const;

export type Strings = typeof STRINGS;
export type StringKey = keyof Strings;
