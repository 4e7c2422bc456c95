/**
 * CSV text for the reports page's downloads (RFC 4180): fields separated by commas, records by CRLF,
 * a field quoted when it holds a comma, a double quote, a line break or leading/trailing spaces, and
 * double quotes inside it doubled. Pure: the page turns the text into a file.
 *
 * Text that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return) gets a leading apostrophe: not-ready reasons and names are typed by people, and a reason named
 * `=HYPERLINK(...)` must stay text when a supervisor opens the file. Numbers are written as numbers.
 */
export type CsvCell = string | number | null | undefined;

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A header line and one line per row, each ending in CRLF. Every row must have the header's width. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw new RangeError(`CSV row ${i + 1} has ${row.length} fields; the header has ${header.length}`);
    }
  });
  return [header, ...rows].map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}

/** The page's downloadable tables. */
export type CsvTable = 'intervals' | 'queues' | 'channels' | 'agents';

/** The download's file name: what it holds and the range, e.g. `intervals-2026-01-05-to-2026-01-06.csv`. */
export function csvFileName(what: CsvTable, fromDay: string, toDay: string): string {
  return `${what}-${fromDay}-to-${toDay}.csv`;
}
