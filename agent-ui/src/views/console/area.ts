import type { ComponentType } from 'preact';
import type { ConsoleArea, ConsoleSession } from '../../app/console-session';

/** What every console area gets: the signed-in session (AS client, token, roles). */
export interface AreaProps {
  session: ConsoleSession;
}

/**
 * Each area is its own chunk, loaded when first opened: the agent desktop and the wallboard do not
 * download the chart library or the flow editor.
 */
export const AREA_LOADERS: Record<ConsoleArea, () => Promise<ComponentType<AreaProps>>> = {
  wallboard: () => import('./wallboard/WallboardArea').then((m) => m.WallboardArea),
  reports: () => import('./reports/ReportsArea').then((m) => m.ReportsArea),
  admin: () => import('./admin/AdminArea').then((m) => m.AdminArea),
  flows: () => import('./flows/FlowsArea').then((m) => m.FlowsArea),
};
