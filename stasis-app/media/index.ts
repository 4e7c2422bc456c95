/** The prompt builder: source media and text to the audio and video files Asterisk plays. */
export { buildPrompts, buildPrompt, resolvePrompt, DEFAULT_OUT, PromptBuildError } from './build';
export type { BuildOptions, BuildReport, PromptResult } from './build';
export { isSpeechPrompt, renderSpeech, speechName } from './speech';
export type { RenderedSpeech, SpeechOptions } from './speech';
export { numberPrompts, positionAnnouncement, waitAnnouncement } from './announce';
export { loadManifest, parseManifest, ManifestError } from './manifest';
export { AUDIO_FORMATS } from './audio';
export { readAsteriskVideo, writeAsteriskVideo, videoFileStats } from './asterisk-video';
export { VIDEO_CODECS, codecOf, linkCodecDirs, promptUri } from './codec-dirs';
export type { VideoCodec } from './codec-dirs';
