import { useEffect, useMemo } from 'preact/hooks';
import { ConsolePhone } from '../../../app/console-phone';
import { useNow, useStore } from '../../../app/store';
import { WallboardController, type WallboardState } from '../../../app/wallboard';
import {
  SERVICE_LEVEL_ALARM,
  SERVICE_LEVEL_TARGET,
  percent,
  sortedAgents,
  sortedQueues,
  waitingContacts,
} from '../../../domain/wallboard';
import { STRINGS } from '../../../strings';
import '../../../styles/wallboard.css';
import type { AreaProps } from '../area';
import { StreamAudio } from '../../common';
import { AgentTable } from './AgentTable';
import { QueueTable } from './QueueTable';
import { TvBoard } from './TvBoard';
import { WaitingTable } from './WaitingTable';

function connectionText(c: WallboardState['connection'], now: number): string {
  switch (c.kind) {
    case 'open':
      return STRINGS.wbLive;
    case 'reconnecting':
      return STRINGS.wbReconnecting(String(Math.max(0, Math.ceil((c.at - now) / 1000))));
    case 'forbidden':
      return STRINGS.wbForbidden;
    case 'unauthorized':
      return STRINGS.wbUnauthorized;
    default:
      return STRINGS.wbConnecting;
  }
}

function scopeText(state: WallboardState): string {
  if (state.scope === null) return STRINGS.wbScopeAll;
  return state.scope.length === 0 ? STRINGS.wbNoQueues : STRINGS.wbScope(state.scope.join(', '));
}

/**
 * The supervisor's live wallboard (docs/supervisor.md): CTI pushes the board of the person's queues
 * over the supervisor socket; times tick here on CTI's clock. Tables for work, a TV mode for the wall.
 */
export function WallboardArea(props: AreaProps) {
  const controller = useMemo(() => new WallboardController(props.session), [props.session]);
  useEffect(() => {
    controller.start();
    return () => controller.stop();
  }, [controller]);
  // The person's browser softphone, registered while the area is open (sign-out unmounts the area).
  const phone = useMemo(() => new ConsolePhone(props.session.api), [props.session]);
  useEffect(() => {
    phone.start();
    return () => phone.stop();
  }, [phone]);
  const phoneView = useStore(phone.view);
  const state = useStore(controller.view);
  const localNow = useNow(1000);
  const now = localNow + state.board.skewMs;
  const queues = sortedQueues(state.board);
  const act = controller.request.bind(controller);
  // The browser's full screen as well, where it allows it (a refusal leaves the full-window board).
  const toggleTv = (on: boolean) => {
    controller.setTv(on);
    if (on) void document.documentElement.requestFullscreen?.().catch(() => undefined);
    else if (document.fullscreenElement !== null) void document.exitFullscreen().catch(() => undefined);
  };
  const tvToggle = (
    <button type="button" class="wb-tv-toggle" aria-pressed={state.tv} onClick={() => toggleTv(!state.tv)}>
      {state.tv ? STRINGS.wbTvOff : STRINGS.wbTvOn}
    </button>
  );
  const status = (
    <p class="wb-status" role="status" data-connection={state.connection.kind}>
      {connectionText(state.connection, localNow)}
      {state.connection.kind === 'reconnecting' && (
        <button type="button" onClick={() => controller.reconnectNow()}>
          {STRINGS.wbReconnectNow}
        </button>
      )}
    </p>
  );
  if (state.tv) {
    return (
      <section class="wallboard wb-tv" aria-label={STRINGS.areaWallboard}>
        <header class="wb-head">
          <h2>{STRINGS.areaWallboard}</h2>
          {status}
          {tvToggle}
        </header>
        <TvBoard queues={queues} now={now} />
        <StreamAudio stream={phoneView.remoteStream} label={STRINGS.wbPhoneAudio} />
      </section>
    );
  }
  return (
    <section class="wallboard" aria-label={STRINGS.areaWallboard}>
      <header class="wb-head">
        <h2>{STRINGS.areaWallboard}</h2>
        <p class="muted">{scopeText(state)}</p>
        {status}
        {tvToggle}
      </header>
      {state.notice !== undefined && (
        <p class={state.notice.kind === 'error' ? 'error' : 'wb-ok'} role="alert">
          {state.notice.text}
        </p>
      )}
      <p class="muted">{STRINGS.wbDay(state.board.day)}</p>
      <div class="wb-panel">
        <QueueTable queues={queues} now={now} />
      </div>
      <div class="wb-panel">
        <WaitingTable
          rows={waitingContacts(state.board)}
          queues={queues.map((q) => q.id)}
          now={now}
          act={act}
        />
      </div>
      <div class="wb-panel">
        <AgentTable
          phone={phoneView}
          agents={sortedAgents(state.board)}
          now={now}
          reasons={state.reasons}
          sessions={state.sessions}
          act={act}
        />
      </div>
      <p class="muted wb-legend">
        {STRINGS.wbThresholds(percent(SERVICE_LEVEL_TARGET) ?? '', percent(SERVICE_LEVEL_ALARM) ?? '')}
      </p>
      <p class="muted wb-legend">{STRINGS.wbWaitThresholds}</p>
      <StreamAudio stream={phoneView.remoteStream} label={STRINGS.wbPhoneAudio} />
    </section>
  );
}
