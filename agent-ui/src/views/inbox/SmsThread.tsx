import { STRINGS } from '../../strings';
import { DeliveryStatus, messageTime, ThreadReply, type ThreadProps } from './thread-parts';

/** An SMS conversation as a chat: the customer's messages on the left, the agent's on the right. */
export function SmsThread(props: ThreadProps) {
  return (
    <>
      <div class="chat-log" role="log" aria-label={STRINGS.smsThread(props.task.from)}>
        <ol class="chat">
          {props.messages.map((m) => (
            <li key={m.id} class={`bubble ${m.direction === 'outbound' ? 'mine' : 'theirs'}`}>
              <p class="bubble-text">{m.text ?? ''}</p>
              <p class="bubble-meta">
                <span>{messageTime(m)}</span>
                {m.direction === 'outbound' && <DeliveryStatus message={m} />}
              </p>
            </li>
          ))}
        </ol>
      </div>
      <ThreadReply {...props} channel="sms" />
    </>
  );
}
