import type { DesktopController, View } from '../app/desktop-controller';
import { useNow } from '../app/store';
import type { Notice } from '../domain/desktop-machine';
import { STRINGS } from '../strings';

export function noticeText(n: Notice): string {
  const detail = n.detail ?? '';
  switch (n.code) {
    case 'transfer-failed':
      return STRINGS.notice_transfer_failed(detail);
    case 'callback-failed':
      return STRINGS.notice_callback_failed(detail);
    case 'consult-failed':
      return STRINGS.notice_consult_failed;
    case 'transferred':
      return STRINGS.notice_transferred(detail);
    case 'take-back-failed':
      return STRINGS.notice_take_back_failed(detail);
    default:
      return STRINGS.notice_error(detail !== '' ? detail : n.code);
  }
}

/** Connection trouble, another tab taking over, and CTI's refusals and outcomes. */
export function Banners(props: { controller: DesktopController; view: View }) {
  const { controller, view } = props;
  const now = useNow(500);
  const c = view.connection;
  const notice = view.desktop.notice;
  const superseded = view.desktop.superseded || c?.kind === 'superseded';
  return (
    <div class="banners">
      {superseded && (
        <div class="banner warn" role="alert">
          <span>{STRINGS.superseded}</span>
          <button type="button" onClick={() => controller.takeOver()}>
            {STRINGS.useHere}
          </button>
        </div>
      )}
      {!superseded && c?.kind === 'reconnecting' && (
        <div class="banner warn" role="alert">
          <span>{STRINGS.reconnecting(Math.max(0, Math.ceil((c.at - now) / 1000)))}</span>
          <button type="button" onClick={() => controller.reconnectNow()}>
            {STRINGS.reconnectNow}
          </button>
        </div>
      )}
      {!superseded && c?.kind === 'connecting' && <div class="banner info">{STRINGS.connecting}</div>}
      {notice !== undefined && (
        <div class="banner error" role="alert">
          <span>{noticeText(notice)}</span>
          <button type="button" class="link" onClick={() => controller.dismissNotice()}>
            {STRINGS.dismiss}
          </button>
        </div>
      )}
    </div>
  );
}
