import type { ComponentChildren } from 'preact';
import { csvFileName, toCsv, type CsvCell, type CsvTable } from '../../../domain/report-csv';
import { durationText, percentText, type Figures } from '../../../domain/report-series';
import { STRINGS } from '../../../strings';
import { useId } from '../../common';
import { downloadText } from './download';

/** A figure's text, or the dash for none. */
export const show = (text: string | number | null) => (text === null ? STRINGS.reportNone : String(text));

/** The figure columns shared by the interval and queue tables, and their CSV headers. */
export const FIGURE_COLUMNS = [
  STRINGS.colOffered,
  STRINGS.colAnswered,
  STRINGS.colAbandoned,
  STRINGS.colAbandonRate,
  STRINGS.colServiceLevel,
  STRINGS.colAsa,
  STRINGS.colAht,
  STRINGS.colLongestWait,
];
export const FIGURE_CSV_COLUMNS = [
  STRINGS.colOffered,
  STRINGS.colAnswered,
  STRINGS.colAbandoned,
  STRINGS.csvAbandonRate,
  STRINGS.csvServiceLevel,
  STRINGS.csvAsa,
  STRINGS.csvAht,
  STRINGS.csvLongestWait,
];

export function FigureCells(props: { f: Figures }) {
  const f = props.f;
  return (
    <>
      <td class="num">{f.offered}</td>
      <td class="num">{f.answered}</td>
      <td class="num">{f.abandoned}</td>
      <td class="num">{show(percentText(f.abandonRate))}</td>
      <td class="num">{show(percentText(f.serviceLevel))}</td>
      <td class="num">{show(durationText(f.asaSec))}</td>
      <td class="num">{show(durationText(f.ahtSec))}</td>
      <td class="num">{show(durationText(f.longestWaitSec))}</td>
    </>
  );
}

/** A table with its caption as heading, a CSV download of the same rows, and a scrolling body. */
export function ReportTable(props: {
  caption: string;
  download: { label: string; what: CsvTable; header: string[]; rows: CsvCell[][] };
  range: { fromDay: string; toDay: string };
  head: string[];
  children: ComponentChildren;
  foot?: ComponentChildren;
}) {
  const headingId = useId('report-table');
  const { download } = props;
  return (
    <section class="report-table" aria-labelledby={headingId}>
      <div class="report-table-bar">
        <h4 id={headingId}>{props.caption}</h4>
        <button
          type="button"
          onClick={() =>
            downloadText(
              csvFileName(download.what, props.range.fromDay, props.range.toDay),
              toCsv(download.header, download.rows),
            )
          }
        >
          {download.label}
        </button>
      </div>
      <div class="report-table-scroll">
        <table aria-labelledby={headingId}>
          <thead>
            <tr>
              {props.head.map((h, i) => (
                <th key={h} scope="col" class={i === 0 ? '' : 'num'}>
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{props.children}</tbody>
          {props.foot !== undefined && <tfoot>{props.foot}</tfoot>}
        </table>
      </div>
    </section>
  );
}
