import { useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError } from '../../../adapters/as-api';
import { FlowsApi, type Flow, type NewFlow } from '../../../adapters/flows-api';
import { ConsolePhone } from '../../../app/console-phone';
import { useStore } from '../../../app/store';
import { starterGraph } from '../../../domain/flow-graph';
import { STRINGS } from '../../../strings';
import '../../../styles/flows.css';
import { useId } from '../../common';
import type { AreaProps } from '../area';
import { FlowEditor } from './FlowEditor';
import type { Pickers } from './NodePanel';

/** `#/flows/<id>` opens that flow. */
function flowIdFromHash(): string | undefined {
  const parts = location.hash.replace(/^#\/?/, '').split('/');
  return parts[0] === 'flows' && parts[1] ? decodeURIComponent(parts[1]) : undefined;
}

function useFlowHash(): string | undefined {
  const [id, setId] = useState(flowIdFromHash());
  useEffect(() => {
    const on = () => setId(flowIdFromHash());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return id;
}

const why = (err: unknown) => (err instanceof ApiError || err instanceof Error ? err.message : String(err));

function NewFlowForm(props: { api: FlowsApi; onCreated: (f: Flow) => void }) {
  const [input, setInput] = useState<NewFlow>({ name: '', calledNumber: '', media: 'audio' });
  const [error, setError] = useState<string | undefined>();
  const ids = { name: useId('flow-name'), number: useId('flow-number'), media: useId('flow-media') };
  const headingId = useId('flow-new');
  return (
    <form
      class="flow-new"
      aria-labelledby={headingId}
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        props.api.create(input, starterGraph()).then(
          (flow) => {
            setInput({ name: '', calledNumber: '', media: 'audio' });
            props.onCreated(flow);
          },
          (err: unknown) => setError(why(err)),
        );
      }}
    >
      <h3 id={headingId} class="flow-side-title">
        {STRINGS.flowNew}
      </h3>
      <label for={ids.name}>{STRINGS.flowName}</label>
      <input
        id={ids.name}
        required
        maxLength={120}
        value={input.name}
        onInput={(e) => setInput({ ...input, name: e.currentTarget.value })}
      />
      <label for={ids.number}>{STRINGS.flowCalledNumber}</label>
      <input
        id={ids.number}
        required
        pattern="\+?[0-9*#]{1,32}"
        inputMode="tel"
        value={input.calledNumber}
        onInput={(e) => setInput({ ...input, calledNumber: e.currentTarget.value.trim() })}
      />
      <label for={ids.media}>{STRINGS.flowMedia}</label>
      <select
        id={ids.media}
        value={input.media}
        onChange={(e) => setInput({ ...input, media: e.currentTarget.value === 'video' ? 'video' : 'audio' })}
      >
        <option value="audio">{STRINGS.flowMediaAudio}</option>
        <option value="video">{STRINGS.flowMediaVideo}</option>
      </select>
      {error !== undefined && (
        <p class="error" role="alert">
          {STRINGS.flowCreateFailed(error)}
        </p>
      )}
      <button type="submit" class="primary wide">
        {STRINGS.flowCreate}
      </button>
    </form>
  );
}

/**
 * The administrator's IVR flows: the list, a new flow, and the visual editor of the one chosen. The AS
 * checks and stores everything; the IVR takes a published version from the next call.
 */
export function FlowsArea(props: AreaProps) {
  const api = useMemo(() => new FlowsApi(props.session.api), [props.session]);
  const [flows, setFlows] = useState<Flow[] | undefined>();
  const [pickers, setPickers] = useState<Pickers>({ prompts: [], queues: [], schedules: [] });
  const [error, setError] = useState<string | undefined>();
  const [open, setOpen] = useState<Flow | undefined>();
  const chosen = useFlowHash();
  const listId = useId('flow-list');
  // The person's browser softphone, registered while the area is open: the editor's test calls ring it.
  const phone = useMemo(() => new ConsolePhone(props.session.api), [props.session]);
  useEffect(() => {
    phone.start();
    return () => phone.stop();
  }, [phone]);
  const phoneView = useStore(phone.view);

  useEffect(() => {
    api.list().then(setFlows, (err: unknown) => setError(why(err)));
    Promise.all([
      api.names('/api/v1/prompts'),
      api.names('/api/v1/queues'),
      api.names('/api/v1/business-hours'),
    ]).then(
      ([prompts, queues, schedules]) => setPickers({ prompts, queues, schedules }),
      (err: unknown) => setError(why(err)),
    );
  }, [api]);

  useEffect(() => {
    if (chosen === undefined) {
      setOpen(undefined);
      return;
    }
    let live = true;
    api.get(chosen).then(
      (f) => live && setOpen(f),
      (err: unknown) => live && setError(why(err)),
    );
    return () => {
      live = false;
    };
  }, [api, chosen]);

  return (
    <section class="flows-area" aria-label={STRINGS.areaFlows}>
      <aside class="flows-list" aria-labelledby={listId}>
        <h2 id={listId} class="flow-side-title">
          {STRINGS.flowList}
        </h2>
        {flows === undefined && error === undefined && <p class="muted">{STRINGS.loading}</p>}
        <ul>
          {(flows ?? []).map((f) => (
            <li key={f.id}>
              <a
                href={`#/flows/${encodeURIComponent(f.id)}`}
                aria-current={f.id === chosen ? 'page' : undefined}
              >
                <span class="flows-list-name">{f.name}</span>
                <span class="flows-list-number">{STRINGS.flowNumberBadge(f.calledNumber)}</span>
              </a>
            </li>
          ))}
        </ul>
        <NewFlowForm
          api={api}
          onCreated={(f) => {
            setFlows([...(flows ?? []), f]);
            location.hash = `#/flows/${encodeURIComponent(f.id)}`;
          }}
        />
      </aside>
      <div class="flows-main">
        {error !== undefined && (
          <p class="error" role="alert">
            {STRINGS.flowLoadFailed(error)}
          </p>
        )}
        {open === undefined ? (
          chosen === undefined && <p class="flows-empty muted">{STRINGS.flowPick}</p>
        ) : (
          <FlowEditor
            key={open.id}
            api={api}
            flow={open}
            pickers={pickers}
            phone={{ view: phoneView, hangUp: () => phone.hangUp() }}
          />
        )}
      </div>
    </section>
  );
}
