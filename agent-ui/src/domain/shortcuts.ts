/**
 * Keyboard shortcuts of the desktop: Alt with a letter, matched by physical key (`KeyA`), so that
 * keyboard layouts and macOS's Option characters do not change them.
 */
export type ShortcutAction = 'answer' | 'hangup' | 'hold' | 'ready';

export const SHORTCUTS: ReadonlyArray<{ action: ShortcutAction; code: string; keys: string }> = [
  { action: 'answer', code: 'KeyA', keys: 'Alt+A' },
  { action: 'hangup', code: 'KeyH', keys: 'Alt+H' },
  { action: 'hold', code: 'KeyO', keys: 'Alt+O' },
  { action: 'ready', code: 'KeyR', keys: 'Alt+R' },
];

export function shortcutOf(e: {
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  code: string;
}): ShortcutAction | undefined {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return undefined;
  return SHORTCUTS.find((s) => s.code === e.code)?.action;
}

export function keysOf(action: ShortcutAction): string {
  return SHORTCUTS.find((s) => s.action === action)?.keys ?? '';
}
