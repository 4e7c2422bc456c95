import type { NodeType } from '../../../domain/flow-graph';
import { STRINGS } from '../../../strings';

/** How each node type looks and is named; with NODE_KINDS (domain/flow-graph.ts), one entry per type. */
export const NODE_LOOK: Record<NodeType, { label: string; hint: string; icon: string; tone: string }> = {
  play: { label: STRINGS.flowNodePlay, hint: STRINGS.flowHintPlay, icon: '▶', tone: 'blue' },
  menu: { label: STRINGS.flowNodeMenu, hint: STRINGS.flowHintMenu, icon: '☰', tone: 'violet' },
  data: { label: STRINGS.flowNodeData, hint: STRINGS.flowHintData, icon: '≡', tone: 'teal' },
  hours: { label: STRINGS.flowNodeHours, hint: STRINGS.flowHintHours, icon: '◷', tone: 'amber' },
  queue: { label: STRINGS.flowNodeQueue, hint: STRINGS.flowHintQueue, icon: '☎', tone: 'green' },
  callback: { label: STRINGS.flowNodeCallback, hint: STRINGS.flowHintCallback, icon: '↺', tone: 'green' },
  voicemail: { label: STRINGS.flowNodeVoicemail, hint: STRINGS.flowHintVoicemail, icon: '✉', tone: 'slate' },
  hangup: { label: STRINGS.flowNodeHangup, hint: STRINGS.flowHintHangup, icon: '✕', tone: 'red' },
};

/** The tones' main colours (flows.css has the same), for the minimap. */
export const TONE_COLOURS = new Map<string, string>([
  ['blue', '#2f6fe4'],
  ['violet', '#6d4fd1'],
  ['teal', '#0f8a8a'],
  ['amber', '#b8660b'],
  ['green', '#13805b'],
  ['slate', '#56657a'],
  ['red', '#c8333a'],
]);

/** Labels of the properties and links named in NODE_KINDS. */
export const FIELD_LABELS = new Map<string, string>([
  ['prompt', STRINGS.flowFieldPrompt],
  ['invalidPrompt', STRINGS.flowFieldInvalidPrompt],
  ['noInputPrompt', STRINGS.flowFieldNoInputPrompt],
  ['timeoutSec', STRINGS.flowFieldTimeout],
  ['maxRetries', STRINGS.flowFieldRetries],
  ['field', STRINGS.flowFieldDataField],
  ['queue', STRINGS.flowFieldQueue],
  ['schedule', STRINGS.flowFieldSchedule],
  ['next', STRINGS.flowLinkNext],
  ['default', STRINGS.flowLinkDefault],
  ['notFound', STRINGS.flowLinkNotFound],
  ['open', STRINGS.flowLinkOpen],
  ['closed', STRINGS.flowLinkClosed],
]);

export const fieldLabel = (name: string): string => FIELD_LABELS.get(name) ?? name;

/** A link's label: "key 1" for a menu choice, else the link field's name. */
export const linkLabel = (link: { handle: string; key?: string }): string =>
  link.key !== undefined ? STRINGS.flowKeyLabel(link.key) : fieldLabel(link.handle);
