/**
 * Every environment variable the processes and the operator's scripts read: its default and meaning, and
 * whether it is a secret. The table in docs/operations/environment.md is generated from this list and the
 * source scan (scripts/env-table.ts); spec/unit/lib/settings-catalogue.spec.ts fails when code reads a
 * variable missing here, or when an entry here is read nowhere.
 */
import { ISAG_SETTINGS } from './settings-isag';

export interface Setting {
  name: string;
  /** Shown as written; `-` for none (required, or unset means off). */
  default: string;
  meaning: string;
  /**
   * Generated into .run/secrets.env by load_env (or to be given by the operator); never logged. A key
   * file's path is not a secret (the file is, with mode 600).
   */
  secret?: boolean;
  /**
   * Who reads it, when the source scan cannot see the name: a name built at run time
   * (`${prefix}_TLS_CERT`) or a secret written into .run/secrets.env and read by a tool of its own.
   */
  readBy?: string;
}

const secret = true;

export const SETTINGS: readonly Setting[] = [
  // Connections and credentials
  {
    name: 'MONGODB_URI',
    default: "the service's own user at 127.0.0.1:$FERRETDB_PORT/ipcc",
    meaning: 'Document store URI (FerretDB or MongoDB); given by the user, it is used as it is',
    secret,
  },
  {
    name: 'AMQP_URL',
    default: "the service's own user at $AMQP_HOST:$AMQP_PORT/$AMQP_VHOST",
    meaning: 'RabbitMQ URI; given by the user, it is used as it is',
    secret,
  },
  { name: 'AMQP_HOST', default: '127.0.0.1', meaning: 'RabbitMQ host of the URIs load_env builds' },
  { name: 'AMQP_PORT', default: '5672', meaning: 'RabbitMQ port' },
  { name: 'AMQP_VHOST', default: 'ipcc', meaning: 'RabbitMQ virtual host' },
  {
    name: 'DEAD_LETTER_MAX_LENGTH',
    default: '10000',
    meaning:
      'Dead letters kept in cc.dead-letter at the most; the oldest goes first (broker policy, applied by provisioning)',
  },
  {
    name: 'DEAD_LETTER_TTL_DAYS',
    default: '7',
    meaning: 'Days a dead letter is kept in cc.dead-letter before the broker drops it (same policy)',
  },
  {
    name: 'AMQP_PASSWORD_<USER>',
    default: 'generated',
    meaning: 'Bus password of each user (CTI, SOFTACD, IVR, AS, ISAG, OPS)',
    secret,
    readBy: 'load_env → AMQP_URL',
  },
  {
    name: 'DOCSTORE_PASSWORD_<USER>',
    default: 'generated',
    meaning: 'Store password of each user (CTI, AS, ISAG, OPS)',
    secret,
    readBy: 'load_env → MONGODB_URI',
  },
  { name: 'FERRETDB_PORT', default: '27017', meaning: "FerretDB's listening port" },
  { name: 'FERRETDB_VERSION', default: 'v1.24.2', meaning: 'FerretDB release the provisioning downloads' },
  {
    name: 'ARI_URL',
    default: 'http://$ASTERISK_HTTP_HOST:$ASTERISK_HTTP_PORT',
    meaning: "Asterisk's HTTP server for ARI",
  },
  { name: 'ARI_USER', default: 'ipcc', meaning: 'ARI user' },
  { name: 'ARI_PASSWORD', default: 'generated', meaning: 'ARI password', secret },
  {
    name: 'ARI_ALLOWED_ORIGINS',
    default: 'http://127.0.0.1:8080',
    meaning: "Origins allowed by Asterisk's ARI (ari.conf)",
  },
  // Asterisk
  {
    name: 'ASTERISK_HTTP_HOST',
    default: '127.0.0.1',
    meaning: "Asterisk's HTTP (ARI, SIP over WebSocket) host",
  },
  { name: 'ASTERISK_HTTP_PORT', default: '8088', meaning: "Asterisk's HTTP port" },
  { name: 'ASTERISK_HTTPS_HOST', default: '$ASTERISK_HTTP_HOST', meaning: "Asterisk's HTTPS/WSS host" },
  { name: 'ASTERISK_HTTPS_PORT', default: '8089', meaning: "Asterisk's HTTPS/WSS port" },
  { name: 'ASTERISK_TLS', default: 'on', meaning: "`off` leaves out Asterisk's HTTPS/WSS listener" },
  {
    name: 'ASTERISK_TLS_CERT',
    default: 'self-signed pair',
    meaning: "PEM certificate file of Asterisk's HTTPS/WSS (with ASTERISK_TLS_KEY)",
  },
  {
    name: 'ASTERISK_TLS_KEY',
    default: 'self-signed pair',
    meaning: "PEM key file of Asterisk's HTTPS/WSS",
  },
  { name: 'ASTERISK_METRICS_USER', default: 'metrics', meaning: "Basic-auth user of Asterisk's /metrics" },
  {
    name: 'ASTERISK_METRICS_PASSWORD',
    default: 'generated',
    meaning: "Basic-auth password of Asterisk's /metrics",
    secret,
    readBy: 'scripts/asterisk.sh (http.conf)',
  },
  {
    name: 'ASTERISK_SOUNDS_DIR',
    default: '$IPCC_CHROOT/usr/share/asterisk/sounds',
    meaning: 'Where the IVR checks its prompts exist',
  },
  {
    name: 'ASTERISK_CLI',
    default: 'asterisk -rx (in the chroot)',
    meaning: 'Command preflight runs Asterisk CLI commands with',
  },
  {
    name: 'SIP_HOST',
    default: '127.0.0.1',
    meaning: "SIP domain of agents' and guests' URIs; sipp's target",
  },
  { name: 'SIP_PORT', default: '5060', meaning: "Asterisk's SIP UDP port (benchmarks' sipp)" },
  {
    name: 'FALLBACK_DIAL',
    default: '-',
    meaning: 'Dial string Asterisk uses when the Stasis apps are down (empty: play FALLBACK_PROMPT)',
  },
  {
    name: 'FALLBACK_PROMPT',
    default: 'all-circuits-busy-now',
    meaning: 'Prompt played when the Stasis apps are down',
  },
  {
    name: 'PUBLIC_VIDEO_NUMBERS',
    default: '100',
    meaning: 'Comma-separated numbers guests may call from the web call page',
  },
  // Shared secrets
  {
    name: 'AUTH_TOKEN_SECRET',
    default: 'generated',
    meaning: "Signs agents' bearer tokens (AS) and verifies them (CTI, IVR)",
    secret,
  },
  { name: 'AGENT_SIP_SECRET', default: 'generated', meaning: "Agents' SIP passwords derive from it", secret },
  {
    name: 'GUEST_TOKEN_SECRET',
    default: 'generated',
    meaning: 'Signs guest call tokens (AS), checked by SoftACD',
    secret,
  },
  {
    name: 'METRICS_TOKEN',
    default: 'generated',
    meaning: 'Bearer token /metrics of every ops listener requires',
    secret,
  },
  // Operations
  {
    name: 'OPS_HOST',
    default: '127.0.0.1',
    meaning: "Address of every process's ops listener (/health, /metrics)",
  },
  {
    name: 'CTI_OPS_PORT',
    default: '9461',
    meaning: "CTI's ops listener port",
    readBy: 'lib/ops/start.ts (by service name)',
  },
  {
    name: 'SOFTACD_OPS_PORT',
    default: '9462',
    meaning: "SoftACD's ops listener port",
    readBy: 'lib/ops/start.ts (by service name)',
  },
  {
    name: 'IVR_OPS_PORT',
    default: '9463',
    meaning: "IVR's ops listener port",
    readBy: 'lib/ops/start.ts (by service name)',
  },
  {
    name: 'AS_OPS_PORT',
    default: '9464',
    meaning: "AS's ops listener port",
    readBy: 'lib/ops/start.ts (by service name)',
  },
  {
    name: 'IPCC_RESTARTS',
    default: '0',
    meaning: 'Restarts so far, passed by the supervisor; exposed as ipcc_process_restarts',
  },
  { name: 'IPCC_RESTART_BACKOFF_MS', default: '1000', meaning: "Supervisor's first restart delay" },
  { name: 'IPCC_RESTART_BACKOFF_MAX_MS', default: '60000', meaning: "Supervisor's longest restart delay" },
  {
    name: 'IPCC_RESTART_STABLE_MS',
    default: '60000',
    meaning: 'Run time after which the restart delay starts over',
  },
  { name: 'IPCC_STOP_GRACE_MS', default: '4000', meaning: 'Time a stopping service gets before SIGKILL' },
  { name: 'IPCC_LOG_MAX_SIZE', default: '10M', meaning: 'Log file size that triggers rotation' },
  { name: 'IPCC_LOG_MAX_AGE', default: '1d', meaning: 'Log file age that triggers rotation' },
  { name: 'IPCC_LOG_KEEP', default: '10', meaning: 'Rotated log files kept' },
  {
    name: 'IPCC_BG_LOG',
    default: '$IPCC_RUN/logs/<name>.log',
    meaning: 'Log file of a process start_bg launches',
  },
  { name: 'LOG_LEVEL', default: 'info', meaning: 'winston log level of every process' },
  {
    name: 'WAIT_READY_TIMEOUT',
    default: '60',
    meaning: 'Seconds wait-ready.sh waits for every /health/ready',
  },
  {
    name: 'TLS_SAN',
    default: '-',
    meaning: 'Extra subject alternative names (comma-separated) of the self-signed certificate',
  },
  // Paths
  { name: 'IPCC_ROOT', default: 'the checkout', meaning: 'Checkout the scripts and services run from' },
  { name: 'IPCC_STATE', default: '/var/lib/ipcc', meaning: 'What runs reuse: the Asterisk chroot, FerretDB' },
  { name: 'IPCC_RUN', default: '$IPCC_ROOT/.run', meaning: "One run's logs, pids, data and secrets" },
  {
    name: 'IPCC_CHROOT',
    default: '$IPCC_STATE/sid',
    meaning: "Asterisk's chroot (its spool holds the recordings)",
  },
  {
    name: 'AGENT_ENDPOINTS_FILE',
    default: '$IPCC_CHROOT/etc/ipcc/pjsip_agents.conf',
    meaning: "Where agents' PJSIP endpoints are written",
  },
  // AS
  { name: 'AS_HOST', default: '127.0.0.1', meaning: "AS's HTTP address (the IVR and tools reach it there)" },
  { name: 'AS_PORT', default: '8090', meaning: "AS's HTTP port" },
  { name: 'AS_INSTANCE_ID', default: 'random', meaning: 'AS instance name in logs and bus messages' },
  {
    name: 'AS_DEFAULT_COUNTRY',
    default: 'FR',
    meaning: 'Country of numbers written without international prefix',
  },
  {
    name: 'AS_OUTBOX_GRACE_MS',
    default: '5000',
    meaning: 'Age after which a pending directory change is re-sent',
  },
  { name: 'AS_OUTBOX_SWEEP_MS', default: '2000', meaning: 'Interval of the outbox sweep' },
  {
    name: 'AS_TLS_CERT',
    default: '-',
    meaning: 'PEM certificate file: the AS serves HTTPS (pages then use wss://)',
  },
  {
    name: 'AS_TLS_KEY',
    default: '-',
    meaning: "PEM key file of the AS's HTTPS",
    readBy: 'lib/tls-files.ts (prefix AS)',
  },
  {
    name: 'AGENT_CTI_URL',
    default: 'ws(s)://$CTI_WS_HOST:$CTI_WS_PORT',
    meaning: 'CTI WebSocket as the browser reaches it',
  },
  {
    name: 'AGENT_SIP_WS_URL',
    default: "Asterisk's ws(s)://…/ws",
    meaning: "Asterisk's SIP WebSocket as the browser reaches it",
  },
  { name: 'AGENT_UI_DIST', default: 'agent-ui/dist', meaning: 'Built agent desktop and call pages' },
  {
    name: 'SEED_PASSWORD',
    default: '"password" (demo)',
    meaning: 'Password of the seeded demo accounts',
    secret,
  },
  // CTI
  { name: 'CTI_ID', default: 'cti-1', meaning: 'CTI instance name' },
  { name: 'CTI_WS_HOST', default: '127.0.0.1', meaning: "CTI's agent WebSocket address" },
  { name: 'CTI_WS_PORT', default: '8091', meaning: "CTI's agent WebSocket port" },
  { name: 'CTI_TLS_CERT', default: '-', meaning: 'PEM certificate file: the CTI WebSocket uses wss://' },
  {
    name: 'CTI_TLS_KEY',
    default: '-',
    meaning: "PEM key file of CTI's wss://",
    readBy: 'lib/tls-files.ts (prefix CTI)',
  },
  {
    name: 'CTI_WS_MESSAGES_PER_SEC',
    default: '20',
    meaning: 'Messages per second one agent socket may send',
  },
  { name: 'CTI_WS_MESSAGE_BURST', default: '40', meaning: 'Burst above that rate' },
  { name: 'CTI_ACCOUNT_CACHE_MS', default: '2000', meaning: 'How long CTI trusts an account read' },
  {
    name: 'CTI_ACCOUNT_RECHECK_MS',
    default: '5000',
    meaning: "Interval of re-checking open sockets' accounts",
  },
  {
    name: 'CTI_TIMEZONE',
    default: "the process's (TZ)",
    meaning: "IANA time zone whose midnight starts the wallboard's day (docs/supervisor.md)",
  },
  {
    name: 'CTI_AGENT_LOST_TIMEOUT_MS',
    default: '120000',
    meaning: 'Time a disconnected agent keeps its state',
  },
  { name: 'CTI_CALLBACK_ATTEMPTS', default: '3', meaning: 'Attempts of a requested callback' },
  { name: 'CTI_CALLBACK_RETRY_SEC', default: '300', meaning: 'Delay between callback attempts' },
  { name: 'CTI_CALLBACK_RING_SEC', default: '30', meaning: 'Ring time of a callback to the customer' },
  { name: 'CTI_TRANSFER_RING_SEC', default: '20', meaning: 'Ring time of a transfer target' },
  { name: 'CTI_TAKE_BACK_RING_SEC', default: '30', meaning: 'Ring time when an agent takes a call back' },
  {
    name: 'CTI_OUTSIDE_DIAL',
    default: 'PJSIP/{number}@outside',
    meaning: 'Dial string of transfers to outside numbers',
  },
  {
    name: 'CTI_DIAL_SOFTACD',
    default: 'softacd-1',
    meaning: 'SoftACD instance that places CTI-initiated calls',
  },
  {
    name: 'CTI_DIRECT_QUEUES',
    default: '200=sales,201=support,202=callbacks',
    meaning: 'Dialled numbers routed straight to a queue',
  },
  { name: 'CTI_PERSIST_DELAY_MS', default: '5', meaning: 'Coalescing delay of state writes' },
  { name: 'CTI_PERSIST_FULL_SEC', default: '30', meaning: 'Interval of full state snapshots' },
  { name: 'CTI_HISTORY_WRITE_MS', default: '100', meaning: 'Batching delay of interaction history writes' },
  { name: 'CTI_HISTORY_QUIET_MS', default: '300', meaning: 'Quiet time before a history write' },
  { name: 'CTI_HISTORY_HOLD_MS', default: '1000', meaning: 'Longest a history write is held' },
  { name: 'CTI_STATE_CONNECTIONS', default: '4', meaning: 'Store connections for state' },
  { name: 'CTI_HISTORY_CONNECTIONS', default: '12', meaning: 'Store connections for history' },
  { name: 'CTI_DIRECTORY_CONNECTIONS', default: '2', meaning: 'Store connections for the directory' },
  {
    name: 'CTI_RESTORE_GRACE_MS',
    default: '3000',
    meaning: 'Wait for SoftACD after a restart before restored calls are judged',
  },
  {
    name: 'CTI_RECONCILE_WINDOW_MS',
    default: '10000',
    meaning: 'Window for reconciling calls with SoftACD after a restart',
  },
  { name: 'CTI_PREFETCH', default: '2000', meaning: 'Bus messages CTI takes before acknowledging' },
  // SoftACD and IVR
  { name: 'SOFTACD_ID', default: 'softacd-1', meaning: 'SoftACD instance name' },
  { name: 'SOFTACD_APP', default: 'softacd', meaning: "SoftACD's Stasis application" },
  { name: 'SOFTACD_MOH_CLASS', default: 'default', meaning: 'Music-on-hold class' },
  {
    name: 'SOFTACD_VIDEO_HOLD_MEDIA',
    default: 'sound:ipcc/hold',
    meaning: 'Media played to video callers on hold',
  },
  {
    name: 'SOFTACD_RECORDING_DIR',
    default: '/var/spool/asterisk/recording',
    meaning: "Asterisk's recording directory (inside the chroot) reported with recordings",
  },
  { name: 'IVR_ID', default: 'ivr-1', meaning: 'IVR instance name' },
  { name: 'IVR_APP', default: 'ivr', meaning: "IVR's Stasis application (SoftACD hands calls to it)" },
  { name: 'IVR_DEFAULT_PROMPT', default: 'welcome', meaning: 'Prompt of the built-in flow' },
  { name: 'IVR_DEFAULT_QUEUE', default: '-', meaning: 'Queue of the built-in flow (`-`: none)' },
  {
    name: 'IVR_QUEUE_MEDIA',
    default: '- (queue-music)',
    meaning: 'Media played while a caller waits in a queue',
  },
  { name: 'IVR_FLOW_CACHE_MS', default: '30000', meaning: 'How long a flow read from the AS is reused' },
  { name: 'IVR_VOICEMAIL_MAX_SEC', default: '120', meaning: 'Longest voicemail message' },
  {
    name: 'IVR_SESSION_MAX_AGE_MS',
    default: '43200000',
    meaning: 'Age at which a stale IVR session is swept',
  },
  ...ISAG_SETTINGS,
  // Tools and benchmarks
  {
    name: 'COMPOSE_RECORDINGS_DIR',
    default: '-',
    meaning: "compose-test: the recordings volume's mount point on the host",
  },
  { name: 'CHROMIUM_PATH', default: '/usr/bin/chromium', meaning: 'Chromium the benchmarks drive' },
];

/** Read by code but not settings of this system: the operating system's own. */
export const NOT_SETTINGS: Readonly<Record<string, string>> = {
  PATH: 'where the media tools (ffmpeg, sox) are looked up',
};
