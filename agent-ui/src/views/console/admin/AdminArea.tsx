import { useEffect, useMemo, useState } from 'preact/hooks';
import { AdminApi } from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import type { AreaProps } from '../area';
import { AgentsPage } from './AgentsPage';
import { AuditPage } from './AuditPage';
import { HoursPage } from './HoursPage';
import { PromptsPage } from './PromptsPage';
import { QueuesPage } from './QueuesPage';
import { ReasonsPage } from './ReasonsPage';

/** The administration's pages, each at `#/admin/<page>`; `#/admin` opens the first. */
const PAGES = ['agents', 'queues', 'reasons', 'dispositions', 'hours', 'prompts', 'audit'] as const;
type AdminPage = (typeof PAGES)[number];

const PAGE_NAMES: Record<AdminPage, string> = {
  agents: STRINGS.adminAgents,
  queues: STRINGS.adminQueues,
  reasons: STRINGS.adminReasons,
  dispositions: STRINGS.adminDispositions,
  hours: STRINGS.adminHours,
  prompts: STRINGS.adminPrompts,
  audit: STRINGS.adminAudit,
};

export function pageFromHash(hash: string): AdminPage {
  const name = hash.replace(/^#\/?/, '').split('/')[1] ?? '';
  return PAGES.find((p) => p === name) ?? 'agents';
}

function useHashPage(): AdminPage {
  const [page, setPage] = useState(() => pageFromHash(location.hash));
  useEffect(() => {
    const on = () => setPage(pageFromHash(location.hash));
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return page;
}

export function AdminArea(props: AreaProps) {
  const session = props.session;
  const api = useMemo(() => new AdminApi(session.api, () => session.token()), [session]);
  const page = useHashPage();
  return (
    <div class="admin">
      <nav class="admin-nav" aria-label={STRINGS.adminNav}>
        <ul>
          {PAGES.map((p) => (
            <li key={p}>
              <a href={`#/admin/${p}`} aria-current={p === page ? 'page' : undefined}>
                {PAGE_NAMES[p]}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="admin-page">
        {page === 'agents' && <AgentsPage api={api} selfId={session.view.get().session?.agent?.id} />}
        {page === 'queues' && <QueuesPage api={api} />}
        {page === 'reasons' && <ReasonsPage key="reasons" api={api} kind="reasons" />}
        {page === 'dispositions' && <ReasonsPage key="dispositions" api={api} kind="dispositions" />}
        {page === 'hours' && <HoursPage api={api} client={session.api} />}
        {page === 'prompts' && <PromptsPage api={api} />}
        {page === 'audit' && <AuditPage api={api} />}
      </div>
    </div>
  );
}
