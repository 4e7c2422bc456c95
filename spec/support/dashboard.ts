import { readFileSync } from 'node:fs';
import path from 'node:path';

export const DASHBOARD = path.resolve(__dirname, '../../docs/operations/grafana-dashboard.json');

/** Asterisk's own names (res_prometheus); the integration spec checks them against the running Asterisk. */
export const ASTERISK_DASHBOARD_METRICS = [
  'asterisk_channels_count',
  'asterisk_bridges_count',
  'asterisk_core_uptime_seconds',
  'asterisk_endpoints_count',
];

export interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
  datasource?: { uid: string };
}

/** Every PromQL expression of the dashboard's panels. */
export function dashboardExprs(): string[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
  return dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
}

/** Metric names in a PromQL expression (ours, Asterisk's, Node's defaults): functions and labels do not match. */
export function metricNames(expr: string): string[] {
  const names = expr.match(/\b(?:ipcc|asterisk|nodejs|process)_[a-z0-9_]+\b/g) ?? [];
  return [...new Set(names)];
}
