import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Customer numbers are stored in E.164 so that a caller id in any written form ("01 23 45 67 89",
 * "+33123456789", "0033 1 ...") finds the same record with an exact index lookup.
 */
export function normalisePhone(raw: string, defaultCountry: CountryCode): string | null {
  const trimmed = raw.trim().replace(/^00/, '+');
  if (trimmed === '' || trimmed.length > 32) return null;
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (parsed === undefined || !parsed.isPossible()) return null;
  return parsed.number;
}

export function isCountryCode(value: string): value is CountryCode {
  return /^[A-Z]{2}$/.test(value) && parsePhoneNumberFromString('+1', value as CountryCode) !== null;
}
