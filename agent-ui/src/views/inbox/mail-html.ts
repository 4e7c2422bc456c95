import DOMPurify from 'dompurify';

/**
 * An e-mail's HTML body made safe to show: DOMPurify removes scripts, event handlers, forms and
 * frames; remote images (and other remote media) are moved to a data attribute until the agent asks for
 * them, so opening a mail tells its sender nothing. The result goes into a sandboxed iframe (no
 * allow-scripts, no allow-same-origin) through `srcdoc`, with a CSP of its own that blocks remote
 * images as well (a second lock: CSS `url()` and anything DOMPurify lets through still load nothing).
 */

export interface SafeMail {
  /** The sanitised body (the inside of <body>). */
  html: string;
  /** How many remote resources were held back (0 when `showImages`). */
  blocked: number;
  /** How many remote resources the body refers to. */
  remote: number;
}

/** Attributes that load a resource by one URL (`srcset` is dropped: `src` says enough). */
const URL_ATTRS = ['src', 'background', 'poster'] as const;
/** Images the mail carries itself load at once. */
const LOCAL = /^\s*(data:|cid:)/i;
/** Remote resources wait for "Show images". */
const REMOTE = /^\s*(https?:)?\/\//i;
const HELD = 'data-ipcc-held-';

const FORBID_TAGS = [
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'meta',
  'link',
  'base',
  'iframe',
];

export function sanitiseMail(raw: string, showImages: boolean): SafeMail {
  // A fresh instance per call: its hook counts this body's images only.
  const purify = DOMPurify(window);
  let remote = 0;
  let blocked = 0;
  purify.addHook('afterSanitizeAttributes', (node) => {
    node.removeAttribute('srcset');
    for (const attr of URL_ATTRS) {
      const value = node.getAttribute(attr);
      if (value === null || LOCAL.test(value)) continue;
      // A relative URL would resolve against the desktop's own address (the frame's base): never fetched.
      if (!REMOTE.test(value)) {
        node.removeAttribute(attr);
        continue;
      }
      remote += 1;
      if (showImages) continue;
      blocked += 1;
      node.setAttribute(`${HELD}${attr}`, value);
      node.removeAttribute(attr);
    }
    // A link opens a new tab outside the sandbox, never inside the frame, and sends no referrer.
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
  const html = purify.sanitize(raw, {
    FORBID_TAGS,
    FORBID_ATTR: ['ping', 'formaction', 'action'],
    // Only this module writes data attributes (the held URLs): the mail's own are dropped.
    ALLOW_DATA_ATTR: false,
  });
  return { html, remote, blocked };
}

/** The iframe's policy: nothing loads but the mail's own images (and remote ones once shown). */
export function mailPolicy(showImages: boolean): string {
  return [
    "default-src 'none'",
    `img-src data:${showImages ? ' http: https:' : ''}`,
    "style-src 'unsafe-inline'",
    'font-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const FRAME_STYLE =
  'body{margin:12px;font:14px/1.5 system-ui,sans-serif;color:#1c2430;overflow-wrap:anywhere}' +
  'img{max-width:100%;height:auto}table{max-width:100%}';

/** The whole document of the body's iframe (`srcdoc`). */
export function mailDocument(body: string, showImages: boolean): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${mailPolicy(showImages)}">` +
    '<meta name="referrer" content="no-referrer">' +
    `<style>${FRAME_STYLE}</style></head><body>${body}</body></html>`
  );
}

/** What the iframe's `sandbox` allows: links open in a new, unsandboxed tab; no script, no same origin. */
export const MAIL_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';
