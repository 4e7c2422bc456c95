/** The customer's web video call page's text (call.html). Part of the one strings module, `agent-ui/src/strings.ts`. */
export const CALL_PAGE_STRINGS = {
  // Customer's call page
  callTitle: 'Video call',
  callIntro: (number: string) => `Talk to us face to face. You are calling ${number}.`,
  startCall: 'Video call',
  calling: 'Calling…',
  inCall: 'Connected',
  callEnded: 'The call has ended.',
  callAgain: 'Call again',
  callFailed: (why: string) => `The call could not be made: ${why}`,
  noNumber: 'This link names no number to call.',
  guestRefused: 'Calls to this number are not possible from the web.',
  guestRateLimited: 'Too many calls from your connection; try again in a minute.',
  noCamera: 'Allow the camera and microphone to make a video call.',
  yourVideo: 'Your video',
  theirVideo: 'Our video',
  keypadHint: 'Use the keypad when the menu asks you to press a key.',
} as const;
