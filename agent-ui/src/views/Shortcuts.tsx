import { useEffect } from 'preact/hooks';
import type { DesktopController } from '../app/desktop-controller';
import { SHORTCUTS, shortcutOf, type ShortcutAction } from '../domain/shortcuts';
import { STRINGS } from '../strings';
import { Region } from './common';

const LABELS: Record<ShortcutAction, string> = {
  answer: STRINGS.shortcutAnswer,
  hangup: STRINGS.shortcutHangUp,
  hold: STRINGS.shortcutHold,
  ready: STRINGS.shortcutReady,
};

/** Alt+A answers, Alt+H hangs up, Alt+O holds or retrieves, Alt+R goes ready; listed on the page. */
export function useShortcuts(controller: DesktopController): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutOf(e);
      if (action === undefined) return;
      e.preventDefault();
      const d = controller.view.get().desktop;
      if (action === 'answer' && d.contact?.phase === 'offered') controller.accept();
      else if (action === 'hangup' && d.contact !== undefined) controller.hangup();
      else if (action === 'hold' && (d.contact?.phase === 'talking' || d.contact?.phase === 'held'))
        controller.hold();
      else if (action === 'ready' && (d.status === 'not-ready' || d.status === 'wrap-up')) {
        if (d.status === 'wrap-up') controller.finishWrapUp();
        else controller.ready();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [controller]);
}

export function ShortcutList() {
  return (
    <Region title={STRINGS.shortcutsHeading} class="shortcuts">
      <dl class="facts">
        {SHORTCUTS.map((s) => (
          <div key={s.action}>
            <dt>
              <kbd>{s.keys}</kbd>
            </dt>
            <dd>{LABELS[s.action]}</dd>
          </div>
        ))}
      </dl>
    </Region>
  );
}
