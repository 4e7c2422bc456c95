import Transport from 'winston-transport';
import winston from 'winston';
import { Bus } from '../../../lib/bus/bus';
import { expect } from '../../support/chai';

/** Every log line's message and meta, as the Bus logged them. */
class Lines extends Transport {
  readonly lines: Array<{ message: string; retryMs?: number; at: number }> = [];
  override log(info: { message: string; retryMs?: number }, next: () => void): void {
    this.lines.push({ message: info.message, retryMs: info.retryMs, at: Date.now() });
    next();
  }
}

describe('Bus reconnects with the backoff policy (no broker: a refused port)', function () {
  this.timeout(10_000);

  it('waits 150 ms, then ×1.7 each time (±20%), not a fixed second', async () => {
    const lines = new Lines();
    const log = winston.createLogger({ transports: [lines] });
    // Port 1 on loopback refuses at once: each attempt fails without a timeout.
    const bus = new Bus('amqp://127.0.0.1:1', log);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, 2_000));
    await bus.close().catch(() => undefined);
    const failed = lines.lines.filter((l) => l.message === 'amqp connect failed');
    const nominal = [150, 255, 433, 737, 1000];
    expect(failed.length, 'attempts in 2 s').to.be.within(4, 6);
    failed
      .slice(0, 4)
      .forEach((l, i) => expect(l.retryMs).to.be.within(nominal[i]! * 0.8, nominal[i]! * 1.2));
    // The waits were taken: the fourth failure comes after the first three delays (≥ 0.8 × 838 ms).
    expect(failed[3]!.at - t0).to.be.at.least(670);
  });
});
