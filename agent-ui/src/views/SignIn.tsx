import { useState } from 'preact/hooks';
import { STRINGS } from '../strings';
import { useId } from './common';

/** The sign-in form of the desktop and of the console: each passes its heading and what signing in does. */
export function SignIn(props: {
  heading: string;
  onSignIn: (login: string, password: string) => void;
  busy: boolean;
  error?: string;
}) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const loginId = useId('login');
  const passwordId = useId('password');
  const headingId = useId('signin');
  return (
    <main class="center">
      <section class="card signin" aria-labelledby={headingId}>
        <h1 id={headingId}>{props.heading}</h1>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            props.onSignIn(login.trim(), password);
          }}
        >
          <label for={loginId}>{STRINGS.loginLabel}</label>
          <input
            id={loginId}
            name="login"
            autocomplete="username"
            required
            value={login}
            onInput={(e) => setLogin(e.currentTarget.value)}
          />
          <label for={passwordId}>{STRINGS.passwordLabel}</label>
          <input
            id={passwordId}
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
          {props.error !== undefined && (
            <p class="error" role="alert">
              {props.error}
            </p>
          )}
          <button type="submit" class="primary wide" disabled={props.busy}>
            {props.busy ? STRINGS.signingIn : STRINGS.signIn}
          </button>
        </form>
      </section>
    </main>
  );
}
