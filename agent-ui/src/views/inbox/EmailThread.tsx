import { useState } from 'preact/hooks';
import type { ThreadMessage } from '../../adapters/messages-api';
import type { ConversationController } from '../../app/tasks-thread';
import { STRINGS } from '../../strings';
import { useId } from '../common';
import { Attachments } from './Attachments';
import { MailFrame } from './MailFrame';
import { DeliveryStatus, messageTime, ThreadReply, type ThreadProps } from './thread-parts';

function EmailMessage(props: { message: ThreadMessage; conversation: ConversationController }) {
  const { message: m } = props;
  const [plain, setPlain] = useState(false);
  const headingId = useId('mail');
  const hasHtml = m.html !== undefined;
  const outbound = m.direction === 'outbound';
  return (
    <article class={`mail mail-${m.direction}`} aria-labelledby={headingId}>
      <h4 id={headingId} class="mail-title">
        {outbound ? STRINGS.mailFromAgent(m.subject ?? '') : STRINGS.mailFromCustomer(m.from)}
      </h4>
      <dl class="mail-headers">
        <dt>{STRINGS.mailFrom}</dt>
        <dd>{m.from}</dd>
        <dt>{STRINGS.mailTo}</dt>
        <dd>{m.to.join(', ')}</dd>
        {m.cc.length > 0 && (
          <>
            <dt>{STRINGS.mailCc}</dt>
            <dd>{m.cc.join(', ')}</dd>
          </>
        )}
        <dt>{STRINGS.mailDate}</dt>
        <dd>{messageTime(m)}</dd>
        <dt>{STRINGS.taskSubject}</dt>
        <dd>{m.subject ?? ''}</dd>
        {outbound && (
          <>
            <dt>{STRINGS.msgStatus}</dt>
            <dd>
              <DeliveryStatus message={m} />
            </dd>
          </>
        )}
      </dl>
      {hasHtml && (
        <div class="row">
          <button type="button" class="link" aria-pressed={plain} onClick={() => setPlain(!plain)}>
            {STRINGS.showPlainText}
          </button>
        </div>
      )}
      {hasHtml && !plain ? (
        <MailFrame html={m.html ?? ''} title={STRINGS.mailBody(m.subject ?? m.from)} />
      ) : (
        <pre class="mail-text">{m.text ?? ''}</pre>
      )}
      <Attachments attachments={m.attachments} conversation={props.conversation} />
    </article>
  );
}

/** An e-mail task: the messages, oldest first, and the reply composer. */
export function EmailThread(props: ThreadProps) {
  return (
    <>
      <div class="mail-thread">
        {props.messages.map((m) => (
          <EmailMessage key={m.id} message={m} conversation={props.conversation} />
        ))}
      </div>
      <ThreadReply {...props} channel="email" />
    </>
  );
}
