/**
 * The fax numbers' dialplan, generated from the addresses of the `fax` queues: the queue is the one
 * place a fax number is written (docs/fax.md, "Fax numbers"). Asterisk includes the result
 * (`#tryinclude extensions_ipcc_fax_numbers.conf` in asterisk/snippets/extensions_ipcc_fax.conf);
 * scripts/fax-numbers.ts writes it at provisioning and ISAG (dialplan-sync.ts) on every queue change.
 * Pure.
 */

export const FAX_DIALPLAN_FILE = 'extensions_ipcc_fax_numbers.conf';

/** A number Asterisk can match exactly and no caller text can break out of: digits, one leading `+`. */
const NUMBER = /^\+?[0-9]{1,32}$/;

/** The fax queues' addresses (address-book keys) split into dialplan numbers and those refused. */
export function faxNumbers(addresses: readonly string[]): { numbers: string[]; refused: string[] } {
  const numbers = [...new Set(addresses.filter((a) => NUMBER.test(a)))].sort();
  return { numbers, refused: addresses.filter((a) => !NUMBER.test(a)) };
}

/**
 * `[acd](+)`: one exact extension per fax number (an exact extension wins over `[acd]`'s patterns, so
 * the call never reaches SoftACD), and the `fax` extension chan_pjsip jumps to on a CNG tone, received
 * as a fax to the first number. Without a fax number neither exists: a CNG tone then changes nothing.
 */
export function renderFaxDialplan(numbers: readonly string[]): string {
  const lines = [
    '; Generated from the addresses of the fax queues (isag/fax/dialplan.ts): scripts/fax-numbers.ts at',
    '; provisioning, ISAG on every queue change. Do not edit: add the number to a fax queue instead.',
    '[acd](+)',
  ];
  for (const n of numbers) {
    if (!NUMBER.test(n)) throw new Error(`not a fax number: ${JSON.stringify(n)}`);
    lines.push(`exten => ${n},1,Goto(fax-in,\${EXTEN},1)`);
  }
  const [first] = numbers;
  if (first !== undefined)
    lines.push(
      // The fax is received on a Local channel: after Stasis, Asterisk blocks FILE() writes on the
      // caller's channel, so its own hang-up handler could not write the status file (docs/fax.md).
      `exten => fax,1,NoOp(ipcc: CNG on a call for \${FAXEXTEN}: received as a fax to ${first})`,
      ` same => n,Dial(Local/${first}@fax-in/n)`,
      ' same => n,Hangup()',
    );
  return `${lines.join('\n')}\n`;
}
