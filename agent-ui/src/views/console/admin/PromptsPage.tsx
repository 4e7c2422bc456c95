import { useEffect, useRef, useState } from 'preact/hooks';
import type { AdminApi, Prompt, PromptMediaKind } from '../../../adapters/admin-api';
import { STRINGS } from '../../../strings';
import { Region, useId } from '../../common';
import { type FormErrors, NO_ERRORS, formErrors } from './form-errors';
import { Field, FieldError, FormAlert, Notice, useLoad } from './forms';

/** A prompt with a video file is previewed as video (with its sound); others as audio. */
const kindOf = (p: Prompt): PromptMediaKind =>
  p.formats.some((f) => f === 'h264' || f === 'vp8') ? 'video' : 'audio';

/** Prompts: the list, an upload (audio and/or video, built into Asterisk's formats by the AS), a preview. */
export function PromptsPage(props: { api: AdminApi }) {
  const { api } = props;
  const prompts = useLoad(() => api.prompts());
  const [preview, setPreview] = useState<Prompt | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const list = prompts.data ?? [];
  return (
    <Region title={STRINGS.adminPrompts}>
      <Notice text={notice} />
      {prompts.error !== undefined && (
        <p class="error" role="alert">
          {STRINGS.adminLoadFailed(prompts.error)}
        </p>
      )}
      <UploadForm
        api={api}
        onUploaded={(p) => {
          setNotice(STRINGS.adminPromptUploaded(p.name));
          prompts.reload();
          setPreview(p);
        }}
      />
      {preview && <Preview key={preview.id} api={api} prompt={preview} />}
      <table class="admin-table">
        <caption>{STRINGS.adminPromptsCaption(list.length)}</caption>
        <thead>
          <tr>
            <th scope="col">{STRINGS.adminPromptName}</th>
            <th scope="col">{STRINGS.adminPromptDescription}</th>
            <th scope="col">{STRINGS.adminPromptFormats}</th>
            <th scope="col">{STRINGS.adminActions}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.name}</th>
              <td>{p.description ?? ''}</td>
              <td>{p.formats.join(', ')}</td>
              <td class="admin-actions">
                <button
                  type="button"
                  aria-label={STRINGS.adminPreviewNamed(p.name)}
                  onClick={() => setPreview(p)}
                >
                  {STRINGS.adminPreview}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Region>
  );
}

const UPLOAD_PATHS = ['name', 'description', 'audio', 'video'];

function UploadForm(props: { api: AdminApi; onUploaded: (p: Prompt) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const audioRef = useRef<HTMLInputElement>(null);
  const videoRef = useRef<HTMLInputElement>(null);
  const audioId = useId('prompt-audio');
  const videoId = useId('prompt-video');

  const upload = async () => {
    const form = new FormData();
    form.set('name', name.trim());
    if (description.trim() !== '') form.set('description', description.trim());
    const audio = audioRef.current?.files?.[0];
    const video = videoRef.current?.files?.[0];
    if (audio) form.set('audio', audio);
    if (video) form.set('video', video);
    setBusy(true);
    try {
      const made = await props.api.uploadPrompt(form);
      setErrors(NO_ERRORS);
      setName('');
      setDescription('');
      if (audioRef.current) audioRef.current.value = '';
      if (videoRef.current) videoRef.current.value = '';
      props.onUploaded(made);
    } catch (err) {
      setErrors(formErrors(err, UPLOAD_PATHS, STRINGS.adminSaveFailed));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      class="admin-form admin-inline"
      noValidate
      aria-label={STRINGS.adminUploadPrompt}
      onSubmit={(e) => {
        e.preventDefault();
        void upload();
      }}
    >
      <FormAlert errors={errors} />
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
      <div class="row">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? STRINGS.adminUploading : STRINGS.adminUpload}
        </button>
      </div>
    </form>
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
      (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
    );
    return () => {
      live = false;
      if (made !== undefined) URL.revokeObjectURL(made);
    };
  }, [props.api, props.prompt.id, kind]);
  const label = STRINGS.adminPreviewOf(props.prompt.name);
  return (
    <Region title={label} level={3}>
      {error !== undefined && (
        <p class="error" role="alert">
          {STRINGS.adminPreviewFailed(error)}
        </p>
      )}
      {url === undefined && error === undefined && <p class="muted">{STRINGS.loading}</p>}
      {url !== undefined && kind === 'video' && (
        <video class="admin-preview" src={url} controls aria-label={label} />
      )}
      {url !== undefined && kind === 'audio' && <audio src={url} controls aria-label={label} />}
    </Region>
  );
}
