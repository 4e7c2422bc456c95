import { Counter, register } from 'prom-client';

export const BUS_METRICS = {
  published: 'ipcc_bus_published_total',
  consumed: 'ipcc_bus_consumed_total',
  deadLetters: 'ipcc_bus_dead_letters_total',
} as const;

/** Exclusive queues (test observers) have generated names: one label value stands for all of them. */
export const EXCLUSIVE_QUEUE_LABEL = 'exclusive';

export const published = new Counter({
  name: BUS_METRICS.published,
  help: 'Messages published, by exchange and outcome (ok: confirmed by the broker; error: refused or timed out)',
  labelNames: ['exchange', 'outcome'],
  registers: [register],
});

export const consumed = new Counter({
  name: BUS_METRICS.consumed,
  help: 'Messages received, by queue and outcome (ack: handled; dead-letter: refused or failed)',
  labelNames: ['queue', 'outcome'],
  registers: [register],
});

export const deadLetters = new Counter({
  name: BUS_METRICS.deadLetters,
  help: 'Messages sent to the dead-letter exchange, by queue and why (invalid: failed validation; failed: handler error)',
  labelNames: ['queue', 'why'],
  registers: [register],
});
