// Prints the RabbitMQ definitions of the project (vhost, one user per service, their permissions, the
// dead-letter queue's retention policy) as JSON, from the passwords load_env exported and the settings
// DEAD_LETTER_MAX_LENGTH and DEAD_LETTER_TTL_DAYS. scripts/provision/rabbitmq.sh imports it into the
// machine's broker; docker/compose.yaml loads the same file at the broker's boot.
// Plain node without packages: it runs before `npm ci` on a fresh machine.
import { createHash, randomBytes } from 'node:crypto';
import { Buffer } from 'node:buffer';
import process from 'node:process';

const vhost = process.env.AMQP_VHOST || 'ipcc';

// RabbitMQ checks: declaring an exchange or queue needs configure on it; declaring a queue with a
// dead-letter exchange also read on the queue and write on that exchange; binding a queue needs write
// on the queue and read on the exchange; publishing write on the exchange; consuming read on the queue.
// Every process declares the shared topology (lib/bus/bus.ts declareTopology) on each connect.
const topology = 'cc\\.(events|commands|tasks|dlx|dead-letter)';
const permissions = {
  // consumes cc.cti (bound to cc.events: calls, agents, configuration changes) and cc.cti-tasks (ISAG's
  // tasks on cc.tasks), sends commands, reports task offers and completions on cc.tasks, dead-letters
  // to cc.dlx
  cti: {
    configure: `^(${topology}|cc\\.cti|cc\\.cti-tasks)$`,
    write: '^cc\\.(commands|tasks|dlx|dead-letter|cti|cti-tasks)$',
    read: '^cc\\.(events|tasks|dlx|cti|cti-tasks)$',
  },
  // consumes cc.softacd.<id> (bound to cc.commands) and cc.provisioning (configuration changes on
  // cc.events, for the agents' endpoints), reports events, sends the IVR hand-over command
  softacd: {
    configure: `^(${topology}|cc\\.softacd\\..+|cc\\.provisioning)$`,
    write: '^cc\\.(events|commands|dlx|dead-letter|softacd\\..+|provisioning)$',
    read: '^cc\\.(events|commands|dlx|softacd\\..+|provisioning)$',
  },
  // consumes cc.ivr.<id> (bound to cc.commands) and cc.ivr-config.<id> (configuration changes on
  // cc.events), reports events
  ivr: {
    configure: `^(${topology}|cc\\.ivr\\..+|cc\\.ivr-config\\..+)$`,
    write: '^cc\\.(events|dlx|dead-letter|ivr\\..+|ivr-config\\..+)$',
    read: '^cc\\.(events|commands|dlx|ivr\\..+|ivr-config\\..+)$',
  },
  // publishes only: configuration changes on cc.events (and tasks), and on cc.commands the flow
  // editor's test call to SoftACD (FlowTestCall, docs/flow-editor.md) and ISAG's SendReply; declares and
  // binds ISAG's reply queue cc.isag.replies too (lib/bus/topology.ts sharedQueues), so that a reply
  // sent before ISAG ever started waits there
  as: {
    configure: `^(${topology}|cc\\.isag\\.replies)$`,
    write: '^cc\\.(events|commands|tasks|dlx|dead-letter|isag\\.replies)$',
    read: '^cc\\.(dlx|commands|isag\\.replies)$',
  },
  // ISAG: publishes tasks on cc.tasks; consumes its own queues cc.isag.<...> bound to cc.events (queue
  // changes), cc.commands (SendReply) and cc.tasks (TaskCompleted); declares and binds CTI's task queue
  // cc.cti-tasks too (sharedQueues), so that a task announced before CTI ever started waits there
  isag: {
    configure: `^(${topology}|cc\\.isag\\..+|cc\\.cti-tasks)$`,
    write: '^cc\\.(tasks|dlx|dead-letter|isag\\..+|cti-tasks)$',
    read: '^cc\\.(events|commands|tasks|dlx|isag\\..+|cti-tasks)$',
  },
  // the operator's shell (tests, tools, benchmarks): observers, injected messages, any queue
  ops: { configure: '.*', write: '.*', read: '.*' },
};

// rabbit_password_hashing_sha256: base64(salt ++ sha256(salt ++ password)), with a 4-byte salt.
function passwordHash(password) {
  const salt = randomBytes(4);
  const digest = createHash('sha256').update(salt).update(password, 'utf8').digest();
  return Buffer.concat([salt, digest]).toString('base64');
}

const users = [];
const grants = [];
for (const [name, perms] of Object.entries(permissions)) {
  const password = process.env[`AMQP_PASSWORD_${name.toUpperCase()}`];
  if (!password) throw new Error(`AMQP_PASSWORD_${name.toUpperCase()} is not set (run through load_env)`);
  const user = `ipcc_${name}`;
  users.push({
    name: user,
    password_hash: passwordHash(password),
    hashing_algorithm: 'rabbit_password_hashing_sha256',
    tags: [],
  });
  grants.push({ user, vhost, ...perms });
}

/** A whole number of at least 1 from the environment, or the default; anything else stops the import. */
function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^[1-9][0-9]*$/.test(raw)) throw new Error(`${name} must be a whole number of at least 1, not ${raw}`);
  return Number(raw);
}

// The dead-letter queue has no consumer and the fuzz suites refuse thousands of messages a run: bound it
// by count (oldest dropped first) and by age, so a flood of bad input cannot fill the broker's disk and
// an operator still has a week to read and replay. A policy applies to the existing queue without
// redeclaring it (a queue argument would make every process's declaration conflict with older ones).
const deadLetterRetention = {
  'max-length': positiveInt('DEAD_LETTER_MAX_LENGTH', 10000),
  'message-ttl': positiveInt('DEAD_LETTER_TTL_DAYS', 7) * 24 * 60 * 60 * 1000,
  overflow: 'drop-head',
};

const definitions = {
  vhosts: [{ name: vhost }],
  users,
  permissions: grants,
  policies: [
    {
      vhost,
      name: 'ipcc-dead-letter',
      pattern: '^cc\\.dead-letter$',
      'apply-to': 'queues',
      definition: deadLetterRetention,
      priority: 0,
    },
  ],
};
process.stdout.write(`${JSON.stringify(definitions, null, 2)}\n`);
