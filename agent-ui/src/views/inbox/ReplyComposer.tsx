import { useEffect, useRef, useState } from 'preact/hooks';
import type { ReplyTemplate, ThreadMessage } from '../../adapters/messages-api';
import { ApiError } from '../../adapters/as-api';
import {
  fileProblem,
  formatBytes,
  lastInbound,
  quoteText,
  replySubject,
  replyText,
  smsCount,
  SMS_MAX_CHARS,
} from '../../app/tasks-compose';
import { useStore } from '../../app/store';
import { replyProgress, type ConversationController } from '../../app/tasks-thread';
import type { Task } from '../../domain/tasks';
import { STRINGS } from '../../strings';
import { Region, useId } from '../common';
import { dateTime, fileProblemText, replyProgressText } from '../../app/tasks-labels';
import { TemplatePicker } from './TemplatePicker';

/** The text of a message to quote: its text part, else the words of its HTML (parsed inert, not shown). */
function plainText(m: ThreadMessage): string {
  if (m.text !== undefined && m.text.trim() !== '') return m.text;
  if (m.html === undefined) return '';
  return new DOMParser().parseFromString(m.html, 'text/html').body.textContent ?? '';
}

/** The AS's answer to the last Send; once it took the reply, the line follows the reply itself. */
type SendState = { kind: 'idle' } | { kind: 'sending' } | { kind: 'failed'; why: string };

/**
 * The reply to the customer. E-mail: text, a quote of the last message (on by default), attachments
 * and a template; SMS: a short text under the 1,600-character limit, with its counter.
 */
export function ReplyComposer(props: {
  channel: 'email' | 'sms';
  task: Task;
  messages: readonly ThreadMessage[];
  conversation: ConversationController;
  templates: readonly ReplyTemplate[] | undefined;
}) {
  const { channel, task, conversation } = props;
  const [text, setText] = useState('');
  const [quoteOn, setQuoteOn] = useState(true);
  const [files, setFiles] = useState<readonly File[]>([]);
  const [templateId, setTemplateId] = useState<string | undefined>(undefined);
  const [state, setState] = useState<SendState>({ kind: 'idle' });
  const progress = replyProgress(useStore(conversation.view), task.contactId);
  const textId = useId('reply');
  const quoteId = useId('quote');
  const filesId = useId('files');
  const counterId = useId('counter');
  const fileInput = useRef<HTMLInputElement>(null);
  /** The file list changes: the native input is emptied with it (it shows only its own last pick). */
  const changeFiles = (next: readonly File[]) => {
    setFiles(next);
    if (next.length === 0 && fileInput.current !== null) fileInput.current.value = '';
  };
  useEffect(() => {
    conversation.loadTemplates(channel);
  }, [conversation, channel]);

  const last = lastInbound(props.messages);
  const email = channel === 'email';
  const quote =
    email && quoteOn && last !== undefined
      ? quoteText(STRINGS.quoteAttribution(dateTime(last.createdAt), last.from), plainText(last))
      : undefined;
  const count = smsCount(text);
  const problem = email ? fileProblem(files) : undefined;
  const canSend =
    state.kind !== 'sending' &&
    text.trim() !== '' &&
    problem === undefined &&
    !(channel === 'sms' && count.over);

  // A refused Send is told first; otherwise the line is the last reply's own state (not while sending).
  const shown = state.kind === 'idle' ? progress : undefined;
  const noteIsError = state.kind === 'failed' || shown?.state === 'failed';
  const note =
    state.kind === 'failed'
      ? STRINGS.replyFailed(state.why)
      : shown === undefined
        ? ''
        : replyProgressText(shown);

  const send = async () => {
    setState({ kind: 'sending' });
    try {
      await conversation.reply(task.contactId, {
        text: email ? replyText(text, quote) : text,
        ...(templateId === undefined ? {} : { templateId }),
        files: email ? files : [],
      });
      setText('');
      changeFiles([]);
      setTemplateId(undefined);
      setState({ kind: 'idle' });
    } catch (err) {
      setState({ kind: 'failed', why: err instanceof ApiError ? err.message : String(err) });
    }
  };

  return (
    <Region
      title={email ? STRINGS.replyHeading : STRINGS.smsReplyHeading}
      level={3}
      class={`composer composer-${channel}`}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (canSend) void send();
        }}
      >
        {email && (
          <dl class="mail-headers">
            <dt>{STRINGS.mailTo}</dt>
            <dd>{last?.from ?? task.from}</dd>
            <dt>{STRINGS.taskSubject}</dt>
            <dd>{replySubject(last?.subject ?? task.subject)}</dd>
          </dl>
        )}
        <TemplatePicker
          templates={props.templates}
          onPick={(t) => {
            setText(text.trim() === '' ? t.text : `${text.replace(/\s+$/, '')}\n\n${t.text}`);
            setTemplateId(t.id);
          }}
        />
        <div class="field">
          <label for={textId}>{email ? STRINGS.replyText : STRINGS.smsText}</label>
          <textarea
            id={textId}
            rows={email ? 6 : 3}
            value={text}
            aria-describedby={email ? undefined : counterId}
            aria-invalid={!email && count.over ? 'true' : undefined}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          {!email && (
            <p id={counterId} class={`counter${count.over ? ' error' : ''}`}>
              {STRINGS.smsCounter(String(count.length), String(SMS_MAX_CHARS))}
            </p>
          )}
        </div>
        {email && (
          <>
            <label class="check">
              <input
                id={quoteId}
                type="checkbox"
                checked={quoteOn}
                disabled={last === undefined}
                onChange={(e) => setQuoteOn(e.currentTarget.checked)}
              />
              {STRINGS.quoteLast}
            </label>
            {quote !== undefined && (
              <pre class="quote" aria-label={STRINGS.quotePreview}>
                {quote}
              </pre>
            )}
            <div class="field">
              <label for={filesId}>{STRINGS.attachFiles}</label>
              <input
                ref={fileInput}
                id={filesId}
                type="file"
                multiple
                onChange={(e) => {
                  changeFiles([...files, ...Array.from(e.currentTarget.files ?? [])]);
                }}
              />
            </div>
            {files.length > 0 && (
              <ul class="chosen-files" aria-label={STRINGS.chosenFiles}>
                {files.map((f, i) => (
                  <li key={`${f.name}-${i}`}>
                    <span>{f.name}</span>
                    <span class="muted">{formatBytes(f.size)}</span>
                    <button
                      type="button"
                      class="link"
                      aria-label={STRINGS.removeFile(f.name)}
                      onClick={() => changeFiles(files.filter((_, j) => j !== i))}
                    >
                      {STRINGS.remove}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {problem !== undefined && (
              <p class="error" role="alert">
                {fileProblemText(problem)}
              </p>
            )}
          </>
        )}
        <div class="row">
          <button type="submit" class="primary" disabled={!canSend}>
            {state.kind === 'sending' ? STRINGS.sending : STRINGS.sendReply}
          </button>
          <span role="status" class={noteIsError ? 'error' : 'muted'}>
            {note}
          </span>
        </div>
      </form>
    </Region>
  );
}
