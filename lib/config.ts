/**
 * Reads settings from the environment. Defaults are the embedded local system that `scripts/up.sh`
 * starts: everything on loopback.
 */
export function env(name: string, fallback?: string): string {
  const value = process.env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new Error(`missing required environment variable ${name}`);
}

export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return value;
}

export const defaults = {
  // No defaults: each service has credentials of its own (scripts/lib.sh load_env, service_env).
  amqpUrl: () => env('AMQP_URL'),
  mongoUri: () => env('MONGODB_URI'),
  ariUrl: () => env('ARI_URL', 'http://127.0.0.1:8088'),
  ariUser: () => env('ARI_USER'),
  ariPassword: () => env('ARI_PASSWORD'),
};

/** A list setting: comma-separated, blanks dropped, lower-cased (domains, addresses). */
export function envList(name: string, fallback: string): string[] {
  return env(name, fallback)
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

const MB = 1024 * 1024;

/**
 * ISAG's settings (docs/isag.md), read once at start. Everything listens on loopback unless told
 * otherwise; the SMTP relay is the machine's own MTA.
 */
export function isagSettings() {
  return {
    smtp: {
      host: env('ISAG_SMTP_HOST', '127.0.0.1'),
      port: envInt('ISAG_SMTP_PORT', 2525),
      /** RCPT TO another domain is refused (550): ISAG is no relay. */
      domains: envList('ISAG_SMTP_DOMAINS', 'ipcc.local'),
      /** Announced in EHLO SIZE; a larger message is refused (552). */
      maxMessageBytes: envInt('ISAG_SMTP_MAX_BYTES', 30 * MB),
      /** The name the server gives in its greeting. */
      name: env('ISAG_SMTP_NAME', 'ipcc.local'),
      maxClients: envInt('ISAG_SMTP_MAX_CLIENTS', 100),
    },
    relay: {
      host: env('ISAG_RELAY_HOST', '127.0.0.1'),
      port: envInt('ISAG_RELAY_PORT', 25),
    },
    limits: {
      attachmentMaxBytes: envInt('ISAG_ATTACHMENT_MAX_BYTES', 10 * MB),
      messageAttachmentsMaxBytes: envInt('ISAG_MESSAGE_ATTACHMENTS_MAX_BYTES', 25 * MB),
    },
    http: {
      host: env('ISAG_HTTP_HOST', '127.0.0.1'),
      port: envInt('ISAG_HTTP_PORT', 8095),
    },
    fax: {
      /** Where Asterisk's ReceiveFAX writes (inside its chroot) and ISAG reads the TIFF files. */
      spoolDir: env('ISAG_FAX_DIR', `${env('IPCC_CHROOT', '/var/lib/ipcc/sid')}/var/spool/asterisk/fax`),
    },
    instanceId: env('ISAG_INSTANCE_ID', 'isag-1'),
  };
}

export type IsagSettings = ReturnType<typeof isagSettings>;
