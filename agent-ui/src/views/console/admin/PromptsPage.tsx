import { useEffect, useRef, useState } from 'preact/hooks';
import type { AdminApi, Prompt, PromptMediaKind } from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import { Region, useId } from '../../common';
import { AdminForm, SaveBar, useSubmit } from './admin-form';
import { AdminTable, ListPage, RowButton, loadFailed, useAdminList } from './admin-list';
import { errorText, formErrors } from './form-errors';
import { ErrorAlert, Field, FieldError } from './forms';

/** A prompt with a video file is previewed as video (with its sound); others as audio. */
const kindOf = (p: Prompt): PromptMediaKind =>
  p.formats.some((f) => f === 'h264' || f === 'vp8') ? 'video' : 'audio';

/** Prompts: the list, an upload (audio and/or video, built into Asterisk's formats by the AS), a preview. */
export function PromptsPage(props: { api: AdminApi }) {
  const { api } = props;
  const page = useAdminList<Prompt>(() => api.prompts());
  const [preview, setPreview] = useState<Prompt | undefined>();
  const { list } = page;
  return (
    <ListPage title={STRINGS.adminPrompts} notice={page.notice} alerts={[loadFailed(page.items.error)]}>
      <UploadForm
        api={api}
        onUploaded={(p) => {
          page.setNotice(STRINGS.adminPromptUploaded(p.name));
          page.items.reload();
          setPreview(p);
        }}
      />
      {preview && <Preview key={preview.id} api={api} prompt={preview} />}
      <AdminTable caption={STRINGS.adminPromptsCaption(list.length)} columns={COLUMNS}>
        {list.map((p) => (
          <tr key={p.id}>
            <th scope="row">{p.name}</th>
            <td>{p.description ?? ''}</td>
            <td>{p.formats.join(', ')}</td>
            <td class="admin-actions">
              <RowButton
                text={STRINGS.adminPreview}
                label={STRINGS.adminPreviewNamed(p.name)}
                onClick={() => setPreview(p)}
              />
            </td>
          </tr>
        ))}
      </AdminTable>
    </ListPage>
  );
}

const COLUMNS = [
  STRINGS.adminPromptName,
  STRINGS.adminPromptDescription,
  STRINGS.adminPromptFormats,
  STRINGS.adminActions,
];
const UPLOAD_PATHS = ['name', 'description', 'audio', 'video'];

function UploadForm(props: { api: AdminApi; onUploaded: (p: Prompt) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const { errors, busy, submit } = useSubmit<Prompt>((err) =>
    formErrors(err, UPLOAD_PATHS, STRINGS.adminSaveFailed),
  );
  const audioRef = useRef<HTMLInputElement>(null);
  const videoRef = useRef<HTMLInputElement>(null);
  const audioId = useId('prompt-audio');
  const videoId = useId('prompt-video');

  const upload = () => {
    const form = new FormData();
    form.set('name', name.trim());
    if (description.trim() !== '') form.set('description', description.trim());
    const audio = audioRef.current?.files?.[0];
    const video = videoRef.current?.files?.[0];
    if (audio) form.set('audio', audio);
    if (video) form.set('video', video);
    return submit(
      () => props.api.uploadPrompt(form),
      (made) => {
        setName('');
        setDescription('');
        if (audioRef.current) audioRef.current.value = '';
        if (videoRef.current) videoRef.current.value = '';
        props.onUploaded(made);
      },
    );
  };

  return (
    <AdminForm
      class="admin-form admin-inline"
      label={STRINGS.adminUploadPrompt}
      errors={errors}
      onSubmit={upload}
    >
      <div class="admin-fields">
        <Field label={STRINGS.adminPromptName} path="name" errors={errors} value={name} onInput={setName} />
        <Field
          label={STRINGS.adminPromptDescription}
          path="description"
          errors={errors}
          value={description}
          onInput={setDescription}
        />
        <div class="field">
          <label for={audioId}>{STRINGS.adminAudioFile}</label>
          <input id={audioId} ref={audioRef} type="file" name="audio" accept="audio/*" />
          <FieldError id={`${audioId}-error`} message={errors.fields.get('audio')} />
        </div>
        <div class="field">
          <label for={videoId}>{STRINGS.adminVideoFile}</label>
          <input id={videoId} ref={videoRef} type="file" name="video" accept="video/*,image/png,image/jpeg" />
          <FieldError id={`${videoId}-error`} message={errors.fields.get('video')} />
        </div>
      </div>
      <p class="hint">{STRINGS.adminUploadHint}</p>
      <SaveBar label={busy ? STRINGS.adminUploading : STRINGS.adminUpload} busy={busy} />
    </AdminForm>
  );
}

/** Fetches the built prompt through the AS (with the token) and plays it in the page. */
function Preview(props: { api: AdminApi; prompt: Prompt }) {
  const kind = kindOf(props.prompt);
  const [url, setUrl] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let made: string | undefined;
    let live = true;
    props.api.promptMedia(props.prompt.id, kind).then(
      (blob) => {
        if (!live) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      },
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
      if (made !== undefined) URL.revokeObjectURL(made);
    };
  }, [props.api, props.prompt.id, kind]);
  const label = STRINGS.adminPreviewOf(props.prompt.name);
  return (
    <Region title={label} level={3}>
      <ErrorAlert text={error === undefined ? undefined : STRINGS.adminPreviewFailed(error)} />
      {url === undefined && error === undefined && <p class="muted">{STRINGS.loading}</p>}
      {url !== undefined && kind === 'video' && (
        <video class="admin-preview" src={url} controls aria-label={label} />
      )}
      {url !== undefined && kind === 'audio' && <audio src={url} controls aria-label={label} />}
    </Region>
  );
}
