import { ConflictError, InvalidError } from '../../../errors';
import { MAX_CALL_SERVICE_LEVEL_SEC, Queue, type QueueChannel, type QueueData } from '../../../models';
import { flowsUsing } from '../flows/references';

type Settings = Partial<
  Pick<QueueData, 'channel' | 'addresses' | 'queueTimeoutSec' | 'serviceLevelSec' | 'timeoutAction'>
>;

/** What each channel's addresses look like: the forms ISAG matches inbound messages against. */
const ADDRESS_FORMS = new Map<QueueChannel, { pattern: RegExp; what: string }>([
  ['email', { pattern: /^[^\s@<>()",;:]{1,64}@[A-Za-z0-9.-]{1,253}$/, what: 'an e-mail address' }],
  ['sms', { pattern: /^\+?[0-9]{3,15}$/, what: 'a phone number (E.164 digits, optional +)' }],
  ['fax', { pattern: /^\+?[0-9]{1,32}$/, what: 'a fax number (digits, optional +)' }],
]);

/**
 * The settings that depend on a queue's channel, checked on the values the queue will have (an update
 * names only what changes). Voice queues keep the call limits (a queue timeout of 10 s and up, a service
 * level of at most an hour) and have no addresses; task queues may wait for ever (0) and count their
 * service level in hours, and cannot offer a callback. E-mail addresses are stored in lower case: ISAG
 * compares them so. Answers the addresses as they are to be stored (undefined: not changed).
 */
export async function checkChannelRules(
  input: Settings & { name?: string },
  before: (Settings & { name: string }) | undefined,
): Promise<string[] | undefined> {
  const channel: QueueChannel = input.channel ?? before?.channel ?? 'voice';
  const queueTimeoutSec = input.queueTimeoutSec ?? before?.queueTimeoutSec;
  const serviceLevelSec = input.serviceLevelSec ?? before?.serviceLevelSec;
  const timeoutAction = input.timeoutAction ?? before?.timeoutAction;
  const field = (path: string, message: string) => new InvalidError(message, [{ path, message }]);
  const addresses = input.addresses ?? (input.channel === undefined ? undefined : before?.addresses);
  if (channel === 'voice') {
    if (queueTimeoutSec != null && queueTimeoutSec < 10)
      throw field('queueTimeoutSec', 'a voice queue times out after 10 s or more');
    if (serviceLevelSec != null && serviceLevelSec > MAX_CALL_SERVICE_LEVEL_SEC)
      throw field('serviceLevelSec', 'a voice queue has a service level of at most 3600 s');
    if ((addresses ?? []).length > 0)
      throw field('addresses', 'addresses are for e-mail, SMS and fax queues');
    return input.addresses;
  }
  if (timeoutAction === 'callback')
    throw field('timeoutAction', `a ${channel} queue cannot offer a callback`);
  const name = before?.name ?? input.name;
  if (before !== undefined && before.channel !== channel && name !== undefined) {
    const flows = await flowsUsing('queue', name);
    if (flows.length > 0)
      throw new ConflictError(`queue "${name}" is used by IVR flows: it must stay a voice queue`, { flows });
  }
  if (addresses === undefined) return undefined;
  const form = ADDRESS_FORMS.get(channel);
  const stored = channel === 'email' ? addresses.map((a) => a.toLowerCase()) : addresses;
  stored.forEach((address, i) => {
    if (form && !form.pattern.test(address))
      throw field(`addresses.${i}`, `"${address}" is not ${form.what}`);
  });
  if (new Set(stored).size !== stored.length) throw field('addresses', 'an address is listed twice');
  const taken = await Queue.find({ addresses: { $in: stored }, ...(name ? { name: { $ne: name } } : {}) })
    .select('name addresses')
    .lean();
  if (taken.length > 0) {
    const owner = taken[0] as { name: string; addresses: string[] };
    const address = stored.find((a) => owner.addresses.includes(a));
    throw new ConflictError(`address "${address}" already enters queue "${owner.name}"`, {
      queue: owner.name,
      address,
    });
  }
  return stored;
}
