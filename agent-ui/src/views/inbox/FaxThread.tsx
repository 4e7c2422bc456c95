import type { ThreadMessage } from '../../adapters/messages-api';
import type { ConversationController } from '../../app/tasks-thread';
import { STRINGS } from '../../strings';
import { Attachments } from './Attachments';
import { dateTime } from '../../app/tasks-labels';

/** A received fax: its PDF (open or download), page count and whether it came in whole. */
export function FaxThread(props: {
  messages: readonly ThreadMessage[];
  conversation: ConversationController;
}) {
  return (
    <div class="fax-list">
      {props.messages.map((m) => (
        <article key={m.id} class="fax" aria-label={STRINGS.faxFrom(m.from)}>
          <dl class="facts">
            <div>
              <dt>{STRINGS.taskFrom}</dt>
              <dd>{m.from}</dd>
            </div>
            <div>
              <dt>{STRINGS.mailDate}</dt>
              <dd>{dateTime(m.createdAt)}</dd>
            </div>
            <div>
              <dt>{STRINGS.faxPages}</dt>
              <dd class="fax-pages">{m.pages === undefined ? STRINGS.faxPagesUnknown : String(m.pages)}</dd>
            </div>
            <div>
              <dt>{STRINGS.msgStatus}</dt>
              <dd class={`fax-status status-${m.status}`}>
                {m.status === 'failed'
                  ? STRINGS.faxFailed(m.statusReason ?? STRINGS.msgNoReason)
                  : m.statusReason !== undefined && m.statusReason !== ''
                    ? STRINGS.faxPartial(m.statusReason)
                    : STRINGS.faxReceived}
              </dd>
            </div>
          </dl>
          {m.attachments.length === 0 ? (
            <p class="muted">{STRINGS.faxNoDocument}</p>
          ) : (
            <Attachments attachments={m.attachments} conversation={props.conversation} open />
          )}
        </article>
      ))}
    </div>
  );
}
