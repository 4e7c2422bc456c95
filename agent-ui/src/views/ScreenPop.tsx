import type { DesktopController, View } from '../app/desktop-controller';
import { useNow } from '../app/store';
import type { Contact } from '../domain/contact';
import { callerTitle, mediaKind, waitText } from '../domain/screen-pop';
import { keysOf } from '../domain/shortcuts';
import { STRINGS } from '../strings';
import { CustomerCard } from './CustomerCard';
import { Region } from './common';

function kindLabel(c: Contact): string {
  if (c.kind === 'outbound') return STRINGS.outboundCall;
  if (c.kind === 'callback') return STRINGS.callbackCall;
  return STRINGS.incomingCall;
}

/** The screen pop: who calls, how, from which queue after how long, and what the AS knows of them. */
export function ScreenPop(props: { controller: DesktopController; view: View }) {
  const { controller, view } = props;
  const contact = view.desktop.contact;
  const now = useNow(1000);
  if (contact === undefined) {
    return (
      <Region title={STRINGS.contactHeading} class="pop idle">
        <p class="muted empty">{STRINGS.noContact}</p>
      </Region>
    );
  }
  const pop = view.pop?.contactId === contact.contactId ? view.pop : undefined;
  const title = callerTitle(contact, pop?.view) ?? STRINGS.unknownCaller;
  const media = mediaKind(contact.media) === 'video' ? STRINGS.mediaVideo : STRINGS.mediaVoice;
  // Waiting goes on while the offer rings; it stops counting once the agent answers.
  const waited = waitText(contact.phase === 'offered' ? { ...contact, offeredAt: now } : contact);
  const number = contact.callingNumber ?? contact.number;
  const desk = view.desktop.device === 'desk';
  return (
    <Region title={STRINGS.contactHeading} class={`pop pop-${contact.phase}`}>
      <div class="pop-head">
        <span class={`media-badge media-${mediaKind(contact.media)}`}>{media}</span>
        <span class="kind">{kindLabel(contact)}</span>
      </div>
      <p class="caller-title">{title}</p>
      <dl class="facts">
        <div>
          <dt>{STRINGS.callerNumber}</dt>
          <dd class="caller-number">{number ?? STRINGS.unknownCaller}</dd>
        </div>
        {contact.callingName !== undefined && contact.callingName !== '' && (
          <div>
            <dt>{STRINGS.callerName}</dt>
            <dd>{contact.callingName}</dd>
          </div>
        )}
        <div>
          <dt>{STRINGS.media}</dt>
          <dd>{media}</dd>
        </div>
        <div>
          <dt>{STRINGS.queue}</dt>
          <dd>{contact.queueId}</dd>
        </div>
        {waited !== undefined && (
          <div>
            <dt>{STRINGS.waited}</dt>
            <dd>{waited}</dd>
          </div>
        )}
      </dl>
      {contact.phase === 'offered' && (
        <div class="offer-actions">
          <button
            type="button"
            class="accept"
            aria-keyshortcuts={keysOf('answer')}
            onClick={() => controller.accept()}
          >
            {STRINGS.accept}
          </button>
          {!desk && (
            <button type="button" class="reject" onClick={() => controller.reject()}>
              {STRINGS.reject}
            </button>
          )}
          {desk && <p class="hint">{STRINGS.pickUpDesk}</p>}
        </div>
      )}
      {contact.recoverable && (
        <div class="offer-actions">
          <p class="hint">{STRINGS.takeBackHint}</p>
          <button type="button" class="accept" onClick={() => controller.takeBack()}>
            {STRINGS.takeBack}
          </button>
        </div>
      )}
      {pop?.status === 'loading' && <p class="muted">{STRINGS.loadingPop}</p>}
      {pop?.status === 'failed' && <p class="error">{STRINGS.popFailed}</p>}
      {pop?.view !== undefined && pop.view.ivr.length > 0 && (
        <Region title={STRINGS.ivrHeading} level={3} class="sub">
          <dl class="facts">
            {pop.view.ivr.map((e, i) => (
              <div key={`${e.key}-${i}`}>
                <dt>{e.key}</dt>
                <dd>{e.value}</dd>
              </div>
            ))}
          </dl>
        </Region>
      )}
      {pop?.view !== undefined && (
        <Region title={STRINGS.customerHeading} level={3} class="sub">
          <CustomerCard
            key={pop.view.customer?.id ?? 'new'}
            controller={controller}
            {...(pop.view.customer === undefined ? {} : { customer: pop.view.customer })}
            {...(number === undefined ? {} : { fallbackNumber: number })}
            canDial={false}
          />
        </Region>
      )}
      {pop?.view !== undefined && pop.view.candidates.length > 0 && (
        <Region title={STRINGS.candidatesHeading} level={3} class="sub">
          <ul class="history">
            {pop.view.candidates.map((c) => (
              <li key={c.id}>
                <span>{c.name}</span>
                <span>{c.phones.join(', ')}</span>
                <span>{c.emails.join(', ')}</span>
              </li>
            ))}
          </ul>
        </Region>
      )}
      {pop?.view !== undefined && (
        <Region title={STRINGS.historyHeading} level={3} class="sub">
          {pop.view.history.length === 0 ? (
            <p class="muted">{STRINGS.noHistory}</p>
          ) : (
            <ul class="history">
              {pop.view.history.map((h) => (
                <li key={h.id}>
                  <span>{h.at === undefined ? '' : new Date(h.at).toLocaleString()}</span>
                  <span>{[h.channel, h.direction].filter(Boolean).join(' · ')}</span>
                  <span class="disposition">{h.disposition ?? h.state ?? ''}</span>
                </li>
              ))}
            </ul>
          )}
        </Region>
      )}
    </Region>
  );
}
