import { useMemo, useState } from 'preact/hooks';
import { STRINGS } from '../../strings';
import { MAIL_SANDBOX, mailDocument, sanitiseMail } from './mail-html';

/**
 * An e-mail's HTML body in a sandboxed iframe: sanitised, scripts never run (no allow-scripts), and
 * remote images load only after "Show images" (until then their URLs are not in the document and the
 * frame's CSP refuses them).
 */
export function MailFrame(props: { html: string; title: string }) {
  const [showImages, setShowImages] = useState(false);
  const safe = useMemo(() => sanitiseMail(props.html, showImages), [props.html, showImages]);
  const doc = useMemo(() => mailDocument(safe.html, showImages), [safe.html, showImages]);
  return (
    <div class="mail-html">
      {safe.blocked > 0 && (
        <div class="images-held" role="group" aria-label={STRINGS.imagesHeldLabel}>
          <span>{STRINGS.imagesHeld(String(safe.blocked))}</span>
          <button type="button" onClick={() => setShowImages(true)}>
            {STRINGS.showImages}
          </button>
        </div>
      )}
      <iframe
        class="mail-frame"
        title={props.title}
        sandbox={MAIL_SANDBOX}
        referrerpolicy="no-referrer"
        srcdoc={doc}
      />
    </div>
  );
}
