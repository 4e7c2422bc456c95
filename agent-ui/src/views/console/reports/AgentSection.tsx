import { useMemo } from 'preact/hooks';
import {
  agentCsvRows,
  agentTimeSeries,
  agentTotals,
  durationText,
  type AgentRow,
} from '../../../domain/report-series';
import { STRINGS } from '../../../strings';
import { ChartCanvas } from './ChartCanvas';
import { ReportTable, show } from './cells';
import { agentChart } from './charts';

/** Each agent over the range: handled, talk time, not-ready time in total and by reason. */
export function AgentSection(props: { rows: AgentRow[]; range: { fromDay: string; toDay: string } }) {
  const { agents, reasons } = useMemo(() => agentTotals(props.rows), [props.rows]);
  const chart = useMemo(() => agentChart(agentTimeSeries(agents, reasons)), [agents, reasons]);
  if (agents.length === 0) return <p class="muted">{STRINGS.reportNoAgents}</p>;
  return (
    <div class="report-agents">
      <ChartCanvas
        title={STRINGS.chartAgentTitle}
        label={STRINGS.chartAgentLabel(
          String(agents.length),
          reasons.length === 0 ? STRINGS.chartNoReasons : reasons.join(', '),
        )}
        config={chart}
        // One bar per agent: the chart grows with the team, above its axis and legend.
        height={Math.max(220, agents.length * 36 + 110)}
      />
      <ReportTable
        caption={STRINGS.reportAgentTable}
        range={props.range}
        head={[
          STRINGS.colAgent,
          STRINGS.colHandled,
          STRINGS.colTalkTime,
          STRINGS.colNotReady,
          ...reasons.map((r) => STRINGS.colNotReadyFor(r)),
        ]}
        download={{
          label: STRINGS.downloadAgents,
          what: 'agents',
          header: [
            STRINGS.colAgent,
            STRINGS.colHandled,
            STRINGS.csvTalkTime,
            STRINGS.csvNotReady,
            ...reasons.map((r) => STRINGS.csvNotReadyFor(r)),
          ],
          rows: agentCsvRows(agents, reasons),
        }}
      >
        {agents.map((a) => (
          <tr key={a.agentId}>
            <th scope="row">{a.login}</th>
            <td class="num">{a.handled}</td>
            <td class="num">{show(durationText(a.talkTimeSec))}</td>
            <td class="num">{show(durationText(a.notReadySec))}</td>
            {reasons.map((r) => (
              <td key={r} class="num">
                {show(durationText(a.byReason.get(r) ?? 0))}
              </td>
            ))}
          </tr>
        ))}
      </ReportTable>
    </div>
  );
}
