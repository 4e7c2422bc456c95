/**
 * What became of one sipp call, read from sipp's message trace (`-trace_msg -message_file F`): the final
 * response Asterisk sent to the INVITE, not sipp's screen, whose statistics table always has an
 * "Unexpected-Msg" column and so matches any "unexpected" pattern whether or not an error response came.
 */
export type SipCallOutcome =
  | { kind: 'completed' }
  | { kind: 'refused'; status: number }
  | { kind: 'unanswered' }
  | { kind: 'failed'; why: string };

/** Status codes of the responses to the INVITE (CSeq method INVITE) that sipp received, in order. */
export function inviteResponses(messageLog: string): number[] {
  const codes: number[] = [];
  // Each traced message starts after a line of dashes; only "received [N] bytes" blocks are replies.
  for (const block of messageLog.split(/^-{20,}.*$/m)) {
    if (!/message received \[\d+\] bytes/.test(block)) continue;
    const status = /^SIP\/2\.0 (\d{3}) /m.exec(block);
    if (status && /^CSeq:\s*\d+\s+INVITE\s*$/im.test(block)) codes.push(Number(status[1]));
  }
  return codes;
}

/** Classifies a sipp run of a uac scenario by its exit code and the INVITE's final response. */
export function classifySippRun(exitCode: number, messageLog: string): SipCallOutcome {
  const codes = inviteResponses(messageLog);
  const finals = codes.filter((c) => c >= 200);
  const final = finals[finals.length - 1];
  if (exitCode === 0) {
    return final === 200
      ? { kind: 'completed' }
      : { kind: 'failed', why: `sipp passed but the INVITE's final response was ${final ?? 'none'}` };
  }
  if (final !== undefined && final >= 400 && final <= 699) return { kind: 'refused', status: final };
  if (codes.length === 0 && !/message received/.test(messageLog)) return { kind: 'unanswered' };
  return {
    kind: 'failed',
    why: `sipp exited ${exitCode}; INVITE responses: ${codes.join(', ') || 'none'}`,
  };
}
