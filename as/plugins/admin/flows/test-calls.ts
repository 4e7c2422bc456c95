import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Draft } from '../../../../lib/messages';
import { AppError, ConflictError, NotFoundError } from '../../../errors';
import type { Caller } from '../../../http/credentials';
import { Agent, IvrFlow, type IvrFlowData } from '../../../models';
import { recordChange } from '../audit/service';
import { checkOrRefuse } from './version-store';
import { FlowTestCallRecord } from './test-call-model';

/** How the AS reaches SoftACD for a test call (as/main.ts builds it on the bus). */
export interface TestCallPorts {
  /** Sends the command to SoftACD's queue; resolves once the broker confirmed it (publisher confirms). */
  send: (draft: Draft<'FlowTestCall'>) => Promise<void>;
  ringTimeoutSec: number;
  /** How long the IVR may ask for the draft of a test call (its answer, an IVR restart during it). */
  ttlMs: number;
  /** How long the request waits for the broker's confirm (the bus is down: 503 rather than a hang). */
  confirmMs?: number;
}

/**
 * A test call is asked for by a person waiting at the page: no outbox, since a call rung minutes later
 * would surprise them. An unconfirmed publish after `ms` is a 503 (it may still go out: the phone rings).
 */
async function confirmedWithin(sent: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms);
  });
  try {
    const outcome = await Promise.race([sent.then(() => 'sent' as const), late]);
    if (outcome === 'late') {
      sent.catch(() => undefined);
      throw new AppError('unavailable', 'the message bus did not take the test call in time; try again');
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('unavailable', `the test call could not be sent: ${(err as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

export const DEFAULT_TEST_CALL = { ringTimeoutSec: 30, ttlMs: 15 * 60_000 };

type FlowRow = IvrFlowData & { _id: Types.ObjectId };

/**
 * The flow editor's "Test call": the draft is copied under a random test-call id, and SoftACD is asked
 * to ring the administrator's own browser softphone; once answered the call takes the ordinary inbound
 * path for the flow's number, and its route to the IVR carries the test-call id, so the IVR runs this
 * copy of the draft. Callers of the number keep getting the published version.
 */
export class FlowTestCalls {
  constructor(
    private readonly ports: TestCallPorts | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async start(flowId: string, caller: Caller) {
    // A server built without a bus (tests through inject): a refusal, not a failure of the server.
    if (this.ports === undefined) {
      throw new ConflictError('test calls are not set up on this server (no message bus)');
    }
    const flow = await IvrFlow.findById(flowId).lean<FlowRow>();
    if (!flow) throw new NotFoundError('IVR flow');
    const draft = flow.draft;
    if (draft === undefined || draft === null) {
      throw new ConflictError('nothing to test: the flow has no draft (save one first)');
    }
    // Prompts or queues may have gone since the draft was saved: refused with every reason (400).
    await checkOrRefuse(draft);
    const me = await Agent.findById(caller.id).select('endpoints').lean();
    const endpoint = me?.endpoints?.webrtc ?? undefined;
    if (endpoint === undefined || endpoint === null) {
      throw new ConflictError(
        'you have no browser softphone (endpoints.webrtc): the test call cannot ring you',
      );
    }
    const at = this.now();
    // Nothing reads an expired record: this keeps the collection to the test calls of the last minutes.
    await FlowTestCallRecord.deleteMany({ expiresAt: { $lt: at } });
    const testCallId = randomUUID();
    const contactId = randomUUID();
    const expiresAt = new Date(at.getTime() + this.ports.ttlMs);
    await FlowTestCallRecord.create({
      _id: testCallId,
      flowId: flow._id,
      flowName: flow.name,
      calledNumber: flow.calledNumber,
      entry: draft.entry,
      nodes: draft.nodes,
      ...(draft.updatedAt ? { draftUpdatedAt: draft.updatedAt } : {}),
      requestedBy: caller.id,
      endpoint,
      contactId,
      createdAt: at,
      expiresAt,
    });
    const started = {
      testCallId,
      contactId,
      endpoint,
      calledNumber: flow.calledNumber,
      draftUpdatedAt: draft.updatedAt ?? null,
      expiresAt,
    };
    await recordChange(caller, 'start', 'ivrflow', flowId, null, { testCall: started });
    await confirmedWithin(
      this.ports.send({
        type: 'FlowTestCall',
        contactId,
        testCallId,
        endpoint,
        calledNumber: flow.calledNumber,
        requestedBy: caller.id,
        ringTimeoutSec: this.ports.ringTimeoutSec,
      }),
      this.ports.confirmMs ?? 5000,
    );
    return started;
  }
}

/**
 * Interface D: the draft copied for a test call, shaped like a published flow's answer; 404 once
 * expired or for any other id. The name says "draft" so the IVR's log tells a test call apart.
 */
export async function testCallFlow(testCallId: string, now: Date = new Date()) {
  const record = await FlowTestCallRecord.findOne({ _id: testCallId, expiresAt: { $gt: now } }).lean();
  if (!record) throw new NotFoundError('test call');
  return {
    id: record.flowId.toHexString(),
    name: `${record.flowName} (draft)`,
    calledNumber: record.calledNumber,
    entry: record.entry,
    nodes: record.nodes,
    draft: true,
  };
}
