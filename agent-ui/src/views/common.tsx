import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

let ids = 0;
/** A stable id for label/heading associations. */
export function useId(prefix: string): string {
  const ref = useRef<string | undefined>(undefined);
  ref.current ??= `${prefix}-${++ids}`;
  return ref.current;
}

/** A region with its heading: screen readers list it by name. */
export function Region(props: {
  title: string;
  class?: string;
  children: ComponentChildren;
  level?: 2 | 3 | 4;
}) {
  const id = useId('region');
  const H = props.level === 4 ? 'h4' : props.level === 3 ? 'h3' : 'h2';
  return (
    <section class={`panel ${props.class ?? ''}`} aria-labelledby={id}>
      <H id={id} class="panel-title">
        {props.title}
      </H>
      {props.children}
    </section>
  );
}

/**
 * Attaches a MediaStream to an audio or video element (srcObject cannot be set from JSX). A refused autoplay
 * (no gesture yet) is retried at the next stream change; the call goes on.
 */
function useStream<T extends HTMLMediaElement>(stream: MediaStream | undefined) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const m = ref.current;
    if (m === null) return;
    if (m.srcObject !== (stream ?? null)) m.srcObject = stream ?? null;
    if (stream) void m.play().catch(() => undefined);
  });
  return ref;
}

/** A <video> playing a MediaStream. */
export function Video(props: {
  stream: MediaStream | undefined;
  label: string;
  muted?: boolean;
  class?: string;
}) {
  const ref = useStream<HTMLVideoElement>(props.stream);
  return (
    <video
      ref={ref}
      class={props.class}
      aria-label={props.label}
      autoplay
      playsInline
      muted={props.muted === true}
    />
  );
}

/** An <audio> playing a MediaStream: the softphone's remote side of a call with no video. */
export function StreamAudio(props: { stream: MediaStream | undefined; label: string }) {
  const ref = useStream<HTMLAudioElement>(props.stream);
  return <audio ref={ref} autoplay aria-label={props.label} />;
}

export const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;

/** A telephone keypad; each key's accessible name is its digit. */
export function Keypad(props: { label: string; onKey: (key: string) => void; disabled?: boolean }) {
  return (
    <div class="keypad" role="group" aria-label={props.label}>
      {KEYS.map((k) => (
        <button type="button" key={k} class="key" disabled={props.disabled} onClick={() => props.onKey(k)}>
          {k}
        </button>
      ))}
    </div>
  );
}
