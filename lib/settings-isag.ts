import type { Setting } from './settings-catalogue';

/** ISAG's part of the settings catalogue (lib/settings-catalogue.ts): e-mail, SMS and fax gateways. */
const secret = true;

export const ISAG_SETTINGS: readonly Setting[] = [
  // ISAG (docs/isag.md)
  { name: 'ISAG_INSTANCE_ID', default: 'isag-1', meaning: 'ISAG instance name in logs and bus messages' },
  {
    name: 'ISAG_OPS_PORT',
    default: '9465',
    meaning: "ISAG's ops listener port",
    readBy: 'lib/ops/start.ts (by service name)',
  },
  { name: 'ISAG_SMTP_HOST', default: '127.0.0.1', meaning: "Address of ISAG's inbound SMTP server" },
  { name: 'ISAG_SMTP_PORT', default: '2525', meaning: "Port of ISAG's inbound SMTP server" },
  {
    name: 'ISAG_SMTP_DOMAINS',
    default: 'ipcc.local',
    meaning: 'Domains ISAG takes mail for (comma-separated); RCPT TO any other is refused with 550',
  },
  {
    name: 'ISAG_SMTP_MAX_BYTES',
    default: '31457280',
    meaning: 'Largest message ISAG takes (announced in EHLO SIZE; larger: 552)',
  },
  { name: 'ISAG_SMTP_NAME', default: 'ipcc.local', meaning: "The name in ISAG's SMTP greeting" },
  { name: 'ISAG_SMTP_MAX_CLIENTS', default: '100', meaning: 'SMTP connections ISAG serves at once' },
  {
    name: 'ISAG_SMTP_TLS',
    default: 'on',
    meaning: '`off`: no STARTTLS when ISAG_TLS_CERT is not set (else the generated pair is used)',
  },
  {
    name: 'ISAG_TLS_CERT',
    default: 'self-signed pair',
    meaning: "PEM certificate file of ISAG's STARTTLS (with ISAG_TLS_KEY)",
  },
  {
    name: 'ISAG_TLS_KEY',
    default: 'self-signed pair',
    meaning: "PEM key file of ISAG's STARTTLS",
    readBy: 'lib/tls-files.ts (prefix ISAG)',
  },
  { name: 'ISAG_RELAY_HOST', default: '127.0.0.1', meaning: 'SMTP relay ISAG sends replies through' },
  { name: 'ISAG_RELAY_PORT', default: '25', meaning: 'Port of the SMTP relay' },
  {
    name: 'ISAG_ATTACHMENT_MAX_BYTES',
    default: '10485760',
    meaning: 'Largest attachment stored; a message with a larger one is quarantined',
  },
  {
    name: 'ISAG_MESSAGE_ATTACHMENTS_MAX_BYTES',
    default: '26214400',
    meaning: "Largest total of one message's attachments; past it the message is quarantined",
  },
  { name: 'ISAG_HTTP_HOST', default: '127.0.0.1', meaning: "Address of ISAG's HTTP listener (SMS webhooks)" },
  { name: 'ISAG_HTTP_PORT', default: '8095', meaning: "Port of ISAG's HTTP listener" },
  {
    name: 'ISAG_FAX_DIR',
    default: '$IPCC_CHROOT/var/spool/asterisk/fax',
    meaning: "Where Asterisk's ReceiveFAX writes the TIFF files ISAG reads",
  },
  {
    name: 'ISAG_FAX_DIALPLAN_FILE',
    default: '$IPCC_CHROOT/etc/ipcc/extensions_ipcc_fax_numbers.conf',
    meaning: "Where ISAG writes the fax queues' numbers as dialplan for Asterisk (`-`: not kept)",
  },
  {
    name: 'ISAG_FAX_CONVERT_TIMEOUT_MS',
    default: '60000',
    meaning: 'Deadline of turning one received TIFF into a PDF (tiff2pdf, pdfinfo)',
  },
  {
    name: 'ISAG_FAX_POLL_MS',
    default: '2000',
    meaning: 'How often ISAG scans the fax spool besides the directory watch',
  },
  // ISAG's SMS (docs/sms.md)
  { name: 'ISAG_ARI_USER', default: 'isag', meaning: "ISAG's own ARI user (SIP MESSAGE in and out)" },
  { name: 'ISAG_ARI_PASSWORD', default: 'generated', meaning: "Password of ISAG's ARI user", secret },
  {
    name: 'ISAG_SMS_SECRET',
    default: 'generated',
    meaning: 'HMAC-SHA256 key of the neutral SMS webhook (X-IPCC-Signature), both ways',
    secret,
  },
  {
    name: 'ISAG_TWILIO_AUTH_TOKEN',
    default: 'generated stand-in',
    meaning: "Twilio account's auth token: X-Twilio-Signature key and API password",
    secret,
  },
  {
    name: 'ISAG_TWILIO_ACCOUNT_SID',
    default: 'AC00000000000000000000000000000000',
    meaning: "Twilio account (user of Twilio's API)",
  },
  {
    name: 'ISAG_TWILIO_WEBHOOK_URL',
    default: '-',
    meaning: 'The URL Twilio requests and signs, when a proxy makes it differ (unset: from the Host header)',
  },
  {
    name: 'ISAG_SMS_PROVIDER_URL',
    default: 'http://127.0.0.1:8097/sms/send',
    meaning: "Neutral SMS provider's send API (replies of webhook conversations)",
  },
  {
    name: 'ISAG_TWILIO_URL',
    default: 'http://127.0.0.1:8097/2010-04-01/Accounts/$ISAG_TWILIO_ACCOUNT_SID/Messages.json',
    meaning: "Twilio's Messages resource (https://api.twilio.com/... in production)",
  },
  {
    name: 'ISAG_SMS_SEND_TIMEOUT_MS',
    default: '10000',
    meaning: 'Deadline of one request to an SMS provider',
  },
  {
    name: 'ISAG_SMS_APP',
    default: 'isag-sms',
    meaning: "ISAG's Stasis app (SIP replies; it holds no endpoint subscription)",
  },
  {
    name: 'ISAG_SIP_MESSAGE_ENDPOINTS',
    default: 'anonymous',
    meaning: "Customer PJSIP endpoints that send MESSAGE; ISAG removes its app's subscriptions on them",
  },
  {
    name: 'ISAG_SMS_SPOOL_DIR',
    default: '$IPCC_CHROOT/var/spool/asterisk/sms',
    meaning: 'Where the dialplan spools each inbound SIP MESSAGE and ISAG reads it',
  },
  {
    name: 'ISAG_SMS_POLL_MS',
    default: '2000',
    meaning: 'How often ISAG scans the SIP MESSAGE spool besides the directory watch',
  },
  {
    name: 'ISAG_SIP_REPLY_ENDPOINT',
    default: 'the first of ISAG_SIP_MESSAGE_ENDPOINTS',
    meaning: 'PJSIP endpoint SMS replies over SIP leave through',
  },
  { name: 'ISAG_SMS_STOP_TEXT', default: 'an English text', meaning: 'Confirmation sent once on STOP' },
  { name: 'ISAG_SMS_START_TEXT', default: 'an English text', meaning: 'Confirmation sent on START' },
];
