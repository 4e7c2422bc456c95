import { useState } from 'preact/hooks';
import type { AttachmentMeta } from '../../adapters/messages-api';
import { formatBytes } from '../../app/tasks-compose';
import type { ConversationController } from '../../app/tasks-thread';
import { STRINGS } from '../../strings';
import { downloadBlob, openBlob } from './save-file';

/** A message's attachments: each downloads with the agent's token (PDFs can also be opened). */
export function Attachments(props: {
  attachments: readonly AttachmentMeta[];
  conversation: ConversationController;
  /** Offer "Open" beside "Download" for PDFs (a fax). */
  open?: boolean;
}) {
  const [failed, setFailed] = useState<string | undefined>(undefined);
  if (props.attachments.length === 0) return null;
  const fetchThen = (a: AttachmentMeta, use: (b: Blob) => void) => {
    setFailed(undefined);
    props.conversation
      .attachment(a.fileId)
      .then(use, (err: unknown) => setFailed(`${a.name}: ${String(err)}`));
  };
  return (
    <div class="attachments">
      <h5 class="attachments-title">{STRINGS.attachmentsHeading}</h5>
      <ul>
        {props.attachments.map((a) => (
          <li key={a.fileId}>
            <button
              type="button"
              class="link"
              aria-label={STRINGS.downloadFile(a.name)}
              onClick={() => fetchThen(a, (b) => downloadBlob(b, a.name))}
            >
              {a.name}
            </button>
            <span class="muted">{formatBytes(a.size)}</span>
            {props.open === true && a.contentType === 'application/pdf' && (
              <button
                type="button"
                aria-label={STRINGS.openFile(a.name)}
                onClick={() => fetchThen(a, (b) => void openBlob(b, a.contentType))}
              >
                {STRINGS.openPdf}
              </button>
            )}
          </li>
        ))}
      </ul>
      {failed !== undefined && (
        <p class="error" role="alert">
          {STRINGS.downloadFailed(failed)}
        </p>
      )}
    </div>
  );
}
