/**
 * Hands a fetched file to the browser: a download (a link with `download` on an object URL), or a new
 * tab for a PDF to read. The route needs the agent's token, so a plain link to it could not work.
 */
const REVOKE_AFTER_MS = 60_000;

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/** Opens the file in a new tab (the browser's PDF viewer); false when a popup blocker refused it. */
export function openBlob(blob: Blob, contentType: string): boolean {
  const typed = blob.type === contentType ? blob : new Blob([blob], { type: contentType });
  const url = URL.createObjectURL(typed);
  // Not 'noopener': with it window.open always answers null and a blocked popup goes unnoticed.
  const w = window.open(url, '_blank');
  if (w !== null) w.opener = null;
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
  return w !== null;
}
