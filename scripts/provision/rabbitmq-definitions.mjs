// Prints the RabbitMQ definitions of the project (vhost, one user per service, their permissions, the
// dead-letter policy) as JSON, from the passwords load_env exported. scripts/provision/rabbitmq.sh
// imports it into the machine's broker; docker/compose.yaml loads the same file at the broker's boot.
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
  // consumes cc.cti (bound to cc.events: calls, agents, configuration changes; and cc.tasks), sends
  // commands, dead-letters to cc.dlx
  cti: {
    configure: `^(${topology}|cc\\.cti)$`,
    write: '^cc\\.(commands|dlx|dead-letter|cti)$',
    read: '^cc\\.(events|tasks|dlx|cti)$',
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
  // publishes only: configuration changes on cc.events (and tasks), never call commands
  as: {
    configure: `^${topology}$`,
    write: '^cc\\.(events|tasks|dlx|dead-letter)$',
    read: '^cc\\.dlx$',
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

const definitions = {
  vhosts: [{ name: vhost }],
  users,
  permissions: grants,
  // The dead-letter queue has no consumer: bound it (oldest dropped first) so a flood of bad input
  // cannot fill the broker's disk. A policy applies to the existing queue without redeclaring it.
  policies: [
    {
      vhost,
      name: 'ipcc-dead-letter',
      pattern: '^cc\\.dead-letter$',
      'apply-to': 'queues',
      definition: { 'max-length': 100000, overflow: 'drop-head' },
      priority: 0,
    },
  ],
};
process.stdout.write(`${JSON.stringify(definitions, null, 2)}\n`);
