import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { STRINGS } from '../../../strings';
import { Region } from '../../common';
import { errorText } from './form-errors';
import { ErrorAlert, type Loaded, Notice, useLoad } from './forms';

/**
 * What the administration's list pages share: the list loaded from the AS, the editor that is open (if
 * any), the notice after a change, the error of a row action, and the table with its row buttons.
 */

type Editing<T> = { mode: 'none' } | { mode: 'new' } | { mode: 'edit'; item: T };

export interface AdminList<T extends { id: string }> {
  items: Loaded<T[]>;
  list: T[];
  /** The open editor: the item (undefined: a new one) and a key that remounts it for another item. */
  editor: { item: T | undefined; key: string } | undefined;
  notice: string | undefined;
  setNotice: (text: string | undefined) => void;
  rowError: string | undefined;
  openNew: () => void;
  openEdit: (item: T) => void;
  close: () => void;
  /** After the editor saved: the notice, the editor closed, the list loaded again. */
  saved: (notice: string) => void;
  /** A row action (activate, delete): on success `done` as the notice and the list reloaded. */
  act: (run: () => Promise<unknown>, done: string) => Promise<void>;
  /** Deletes `name` once the administrator confirms. */
  remove: (name: string, run: () => Promise<unknown>) => void;
}

export function useAdminList<T extends { id: string }>(
  fetcher: () => Promise<T[]>,
  deps: readonly unknown[] = [],
): AdminList<T> {
  const items = useLoad(fetcher, deps);
  const [editing, setEditing] = useState<Editing<T>>({ mode: 'none' });
  const [notice, setNotice] = useState<string | undefined>();
  const [rowError, setRowError] = useState<string | undefined>();
  const done = (text: string) => {
    setRowError(undefined);
    setNotice(text);
    items.reload();
  };
  return {
    items,
    list: items.data ?? [],
    editor:
      editing.mode === 'none'
        ? undefined
        : editing.mode === 'edit'
          ? { item: editing.item, key: editing.item.id }
          : { item: undefined, key: 'new' },
    notice,
    setNotice,
    rowError,
    openNew: () => setEditing({ mode: 'new' }),
    openEdit: (item) => {
      setNotice(undefined);
      setEditing({ mode: 'edit', item });
    },
    close: () => setEditing({ mode: 'none' }),
    saved: (text) => {
      setNotice(text);
      setEditing({ mode: 'none' });
      items.reload();
    },
    act: async (run, text) => {
      try {
        await run();
        done(text);
      } catch (err) {
        setRowError(errorText(err));
      }
    },
    remove: (name, run) => void deleteConfirmed(name, run, done, setRowError),
  };
}

/** Asks before deleting `name`, then reports the AS's answer: `done` with the notice, or `failed`. */
export async function deleteConfirmed(
  name: string,
  run: () => Promise<unknown>,
  done: (notice: string) => void,
  failed: (message: string) => void,
): Promise<void> {
  if (!confirm(STRINGS.adminConfirmDelete(name))) return;
  try {
    await run();
    done(STRINGS.adminDeleted(name));
  } catch (err) {
    failed(errorText(err));
  }
}

/** The load error as the page words it; undefined while the list loads or loaded. */
export function loadFailed(error: string | undefined): string | undefined {
  return error === undefined ? undefined : STRINGS.adminLoadFailed(error);
}

/** A list page: its title, the notice and the errors (each an alert), then the page's parts. */
export function ListPage(props: {
  title: string;
  notice: string | undefined;
  alerts: readonly (string | undefined)[];
  children: ComponentChildren;
}) {
  return (
    <Region title={props.title}>
      <Notice text={props.notice} />
      {props.alerts.map((text, i) => (
        <ErrorAlert key={i} text={text} />
      ))}
      {props.children}
    </Region>
  );
}

export function NewButton(props: { label: string; onClick: () => void }) {
  return (
    <div class="row">
      <button type="button" class="primary" onClick={props.onClick}>
        {props.label}
      </button>
    </div>
  );
}

/** The list itself: a caption that screen readers name the table by, a column heading each. */
export function AdminTable(props: {
  caption: string;
  columns: readonly string[];
  children: ComponentChildren;
}) {
  return (
    <table class="admin-table">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((c, i) => (
            <th key={i} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** A row's button, named after the row (`Edit support`): the table has many of the same text. */
export function RowButton(props: { text: string; label: string; class?: string; onClick: () => void }) {
  return (
    <button type="button" class={props.class} aria-label={props.label} onClick={props.onClick}>
      {props.text}
    </button>
  );
}

export function EditButton(props: { name: string; onClick: () => void }) {
  return (
    <RowButton text={STRINGS.adminEdit} label={STRINGS.adminEditNamed(props.name)} onClick={props.onClick} />
  );
}

/** The actions cell of a row that can be edited and deleted. */
export function EditDeleteCell(props: { name: string; onEdit: () => void; onDelete: () => void }) {
  return (
    <td class="admin-actions">
      <EditButton name={props.name} onClick={props.onEdit} />
      <RowButton
        text={STRINGS.adminDelete}
        label={STRINGS.adminDeleteNamed(props.name)}
        class="danger"
        onClick={props.onDelete}
      />
    </td>
  );
}
