import { useState } from 'preact/hooks';
import type { SupervisorRequest, WaitingContact } from '../../../domain/wallboard';
import { STRINGS } from '../../../strings';
import { useId } from '../../common';
import { since } from './format';

type Row = WaitingContact & { queueId: string };

/** A waiting caller: move it to another of the supervisor's queues, or serve it first. */
function WaitingRow(props: { row: Row; queues: string[]; now: number; act: (r: SupervisorRequest) => void }) {
  const { row } = props;
  const others = props.queues.filter((q) => q !== row.queueId);
  const [target, setTarget] = useState(others[0] ?? '');
  const selectId = useId('wb-move');
  const number = row.callingNumber ?? STRINGS.wbUnknownCaller;
  const who = row.callback ? STRINGS.wbCallback(number) : number;
  const chosen = others.includes(target) ? target : (others[0] ?? '');
  return (
    <tr data-contact={row.id}>
      <td>{row.queueId}</td>
      <th scope="row">{who}</th>
      <td data-field="waited">{since(row.enqueuedAt, props.now)}</td>
      <td>{row.raised ? STRINGS.wbRaisedMark : STRINGS.wbNormal}</td>
      <td class="wb-actions">
        <label class="visually-hidden" for={selectId}>
          {STRINGS.wbMoveTarget(who)}
        </label>
        <select
          id={selectId}
          value={chosen}
          disabled={others.length === 0}
          onChange={(e) => setTarget(e.currentTarget.value)}
        >
          {others.map((q) => (
            <option key={q} value={q}>
              {q}
            </option>
          ))}
        </select>
        <button
          type="button"
          aria-label={STRINGS.wbMove(who)}
          disabled={chosen === ''}
          onClick={() => props.act({ type: 'move-contact', contactId: row.id, queueId: chosen })}
        >
          {STRINGS.wbMoveShort}
        </button>
        <button
          type="button"
          aria-label={STRINGS.wbRaise(who)}
          disabled={row.raised}
          onClick={() => props.act({ type: 'raise-priority', contactId: row.id })}
        >
          {STRINGS.wbRaiseShort}
        </button>
      </td>
    </tr>
  );
}

export function WaitingTable(props: {
  rows: Row[];
  queues: string[];
  now: number;
  act: (r: SupervisorRequest) => void;
}) {
  return (
    <table class="wb-table">
      <caption>{STRINGS.wbContactsCaption}</caption>
      <thead>
        <tr>
          <th scope="col">{STRINGS.wbQueue}</th>
          <th scope="col">{STRINGS.wbCaller}</th>
          <th scope="col">{STRINGS.wbWaiting}</th>
          <th scope="col">{STRINGS.wbPriority}</th>
          <th scope="col">{STRINGS.wbActions}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.length === 0 ? (
          <tr>
            <td colSpan={5} class="muted">
              {STRINGS.wbNoContacts}
            </td>
          </tr>
        ) : (
          props.rows.map((row) => (
            <WaitingRow key={row.id} row={row} queues={props.queues} now={props.now} act={props.act} />
          ))
        )}
      </tbody>
    </table>
  );
}
