import type { CustomerPanelView } from '../../app/tasks-thread';
import { contactChannelLabel } from '../../app/tasks-labels';
import { STRINGS } from '../../strings';
import { Region } from '../common';

/**
 * Who the task's sender is and what they wrote or called about before: the AS's screen pop for the
 * task (its customer, found by address or number, and that customer's earlier contacts, newest first).
 */
export function CustomerHistory(props: { customer: CustomerPanelView | undefined }) {
  const { customer } = props;
  const pop = customer?.status === 'ok' ? customer.pop : undefined;
  const name = pop?.customer?.name;
  return (
    <Region title={STRINGS.historyHeading} level={4} class="sub task-history">
      {(customer === undefined || customer.status === 'loading') && <p class="muted">{STRINGS.loadingPop}</p>}
      {customer?.status === 'failed' && (
        <p class="error" role="alert">
          {STRINGS.popFailed}
        </p>
      )}
      {pop !== undefined && (
        <p class="task-customer">
          {name !== undefined && name !== '' ? STRINGS.taskCustomer(name) : STRINGS.taskNoCustomer}
        </p>
      )}
      {pop !== undefined && pop.history.length === 0 && <p class="muted">{STRINGS.noHistory}</p>}
      {pop !== undefined && pop.history.length > 0 && (
        <ul class="history">
          {pop.history.map((h) => (
            <li key={h.id}>
              <span class="history-channel">{contactChannelLabel(h.channel)}</span>
              <span class="history-state">{h.disposition ?? h.state ?? ''}</span>
              <span class="history-at">{h.at === undefined ? '' : new Date(h.at).toLocaleString()}</span>
            </li>
          ))}
        </ul>
      )}
    </Region>
  );
}
