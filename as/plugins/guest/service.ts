import { signGuestToken } from '../../../lib/guest-token';
import { AppError, ForbiddenError } from '../../errors';
import { guestSip } from '../../domain/desktop';
import type { DesktopSettings } from '../../settings';
import type { GuestLimiter } from './limiter';

/**
 * A customer without an account gets a short-lived token for one call to one public number. Every request
 * counts against its address, refused ones too, so the list of public numbers cannot be probed fast.
 */
export class GuestService {
  constructor(
    private readonly settings: Pick<
      DesktopSettings,
      'sipWsUrl' | 'sipHost' | 'publicNumbers' | 'guestSecret'
    >,
    private readonly limiter: GuestLimiter,
  ) {}

  async issue(number: string, address: string) {
    const secret = this.settings.guestSecret;
    if (secret === undefined) throw new AppError('unavailable', 'guest calls are not configured');
    await this.limiter.take(address);
    if (!this.settings.publicNumbers.includes(number)) {
      throw new ForbiddenError('this number does not take web calls');
    }
    const { token, expiresAt } = signGuestToken(number, secret);
    return { token, expiresAt: expiresAt.toISOString(), sip: guestSip(number, this.settings) };
  }
}
