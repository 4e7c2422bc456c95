import { useState } from 'preact/hooks';
import type { ConsolePhoneView } from '../../../app/console-phone';
import type { SuperviseSession } from '../../../app/wallboard';
import type { BoardAgent, SuperviseMode, SupervisorRequest } from '../../../domain/wallboard';
import { STRINGS } from '../../../strings';
import { useId } from '../../common';
import { MODE_LABELS, since, stateLabel } from './format';

const MODES: ReadonlyArray<readonly [SuperviseMode, (who: string) => string, string]> = [
  ['listen', STRINGS.wbListen, STRINGS.wbListenShort],
  ['whisper', STRINGS.wbWhisper, STRINGS.wbWhisperShort],
  ['barge', STRINGS.wbBarge, STRINGS.wbBargeShort],
];

interface RowProps {
  agent: BoardAgent;
  now: number;
  reasons: string[];
  device: 'softphone' | 'desk';
  session: SuperviseSession | undefined;
  act: (r: SupervisorRequest) => void;
}

/** An agent: its state, and the supervisor's buttons (supervision, force not ready, force log out). */
function AgentRow(props: RowProps) {
  const { agent, session } = props;
  const [reason, setReason] = useState(props.reasons[0] ?? '');
  const reasonId = useId('wb-reason');
  const who = agent.name;
  const chosen = props.reasons.includes(reason) ? reason : (props.reasons[0] ?? '');
  const supervise = (mode: SuperviseMode) =>
    props.act(
      session === undefined
        ? { type: 'supervise', agentId: agent.id, mode, device: props.device }
        : { type: 'supervise-mode', sessionId: session.sessionId, mode },
    );
  return (
    <tr data-agent={agent.login}>
      <th scope="row">{who}</th>
      <td data-field="state" data-state={agent.state}>
        {stateLabel(agent.state)}
        {session !== undefined && (
          <span class="wb-sub">{STRINGS.wbSupervising(MODE_LABELS[session.mode])}</span>
        )}
      </td>
      <td data-field="reason">{agent.reason ?? STRINGS.wbNone}</td>
      <td data-field="since">{since(agent.since, props.now)}</td>
      <td data-field="contact">{agent.contactQueue ?? STRINGS.wbNone}</td>
      <td>{agent.queues.join(', ')}</td>
      <td class="wb-actions">
        {MODES.map(([mode, name, short]) => (
          <button
            key={mode}
            type="button"
            aria-label={name(who)}
            aria-pressed={session?.mode === mode}
            disabled={agent.contactId === undefined && session === undefined}
            onClick={() => supervise(mode)}
          >
            {short}
          </button>
        ))}
        <button
          type="button"
          aria-label={STRINGS.wbStop(who)}
          disabled={session === undefined}
          onClick={() =>
            session !== undefined && props.act({ type: 'supervise-stop', sessionId: session.sessionId })
          }
        >
          {STRINGS.wbStopShort}
        </button>
        <label class="visually-hidden" for={reasonId}>
          {STRINGS.wbForceReason(who)}
        </label>
        <select id={reasonId} value={chosen} onChange={(e) => setReason(e.currentTarget.value)}>
          {props.reasons.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button
          type="button"
          aria-label={STRINGS.wbForceNotReady(who)}
          disabled={chosen === '' || agent.state === 'logged-out'}
          onClick={() => props.act({ type: 'force-not-ready', agentId: agent.id, reason: chosen })}
        >
          {STRINGS.wbForceNotReadyShort}
        </button>
        <button
          type="button"
          aria-label={STRINGS.wbForceLogout(who)}
          disabled={agent.state === 'logged-out'}
          onClick={() => props.act({ type: 'force-logout', agentId: agent.id })}
        >
          {STRINGS.wbForceLogoutShort}
        </button>
      </td>
    </tr>
  );
}

function phoneText(phone: ConsolePhoneView): string {
  if (phone.account === 'none') return STRINGS.wbPhoneNone;
  if (phone.account === 'error') return STRINGS.wbPhoneError;
  if (phone.account === 'loading') return STRINGS.wbPhoneLoading;
  switch (phone.registration) {
    case 'registered':
      return STRINGS.wbPhoneRegistered;
    case 'failed':
      return STRINGS.wbPhoneFailed(phone.registrationError ?? '');
    case 'unregistered':
      return STRINGS.wbPhoneUnregistered;
    default:
      return STRINGS.wbPhoneConnecting;
  }
}

export function AgentTable(props: {
  phone: ConsolePhoneView;
  agents: BoardAgent[];
  now: number;
  reasons: string[];
  sessions: ReadonlyMap<string, SuperviseSession>;
  act: (r: SupervisorRequest) => void;
}) {
  const [picked, setPicked] = useState<'softphone' | 'desk'>('softphone');
  const deviceId = useId('wb-device');
  // Without a browser endpoint (or its account) the desk phone is the only way to listen.
  const softphone = props.phone.account === 'loading' || props.phone.account === 'ready';
  const device = softphone ? picked : 'desk';
  return (
    <div>
      <div class="wb-toolbar">
        <label for={deviceId}>{STRINGS.wbPhone}</label>
        <select
          id={deviceId}
          value={device}
          onChange={(e) => setPicked(e.currentTarget.value === 'desk' ? 'desk' : 'softphone')}
        >
          {softphone && <option value="softphone">{STRINGS.wbPhoneSoftphone}</option>}
          <option value="desk">{STRINGS.wbPhoneDesk}</option>
        </select>
        <span
          class="wb-phone-state muted"
          role="status"
          aria-label={STRINGS.wbPhoneState}
          data-registration={softphone ? props.phone.registration : 'none'}
        >
          {phoneText(props.phone)}
        </span>
      </div>
      <table class="wb-table">
        <caption>{STRINGS.wbAgentsCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{STRINGS.wbAgent}</th>
            <th scope="col">{STRINGS.wbState}</th>
            <th scope="col">{STRINGS.wbReason}</th>
            <th scope="col">{STRINGS.wbSince}</th>
            <th scope="col">{STRINGS.wbContact}</th>
            <th scope="col">{STRINGS.wbServes}</th>
            <th scope="col">{STRINGS.wbActions}</th>
          </tr>
        </thead>
        <tbody>
          {props.agents.map((a) => (
            <AgentRow
              key={a.id}
              agent={a}
              now={props.now}
              reasons={props.reasons}
              device={device}
              session={props.sessions.get(a.id)}
              act={props.act}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
