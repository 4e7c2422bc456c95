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
export function Region(props: { title: string; class?: string; children: ComponentChildren; level?: 2 | 3 }) {
  const id = useId('region');
  const H = props.level === 3 ? 'h3' : 'h2';
  return (
    <section class={`panel ${props.class ?? ''}`} aria-labelledby={id}>
      <H id={id} class="panel-title">
        {props.title}
      </H>
      {props.children}
    </section>
  );
}

/** A <video> playing a MediaStream (srcObject cannot be set from JSX). */
export function Video(props: {
  stream: MediaStream | undefined;
  label: string;
  muted?: boolean;
  class?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = ref.current;
    if (v === null) return;
    if (v.srcObject !== (props.stream ?? null)) v.srcObject = props.stream ?? null;
    if (props.stream) void v.play().catch(() => undefined);
  });
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
