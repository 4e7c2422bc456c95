import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** A server certificate (PEM, leaf first, then any intermediates) and its private key, read from files. */
export interface TlsPair {
  cert: Buffer;
  key: Buffer;
  certFile: string;
  /** The leaf's subject alternative names, for the start-up log. */
  names: string;
}

/**
 * The TLS pair of one listener from `<PREFIX>_TLS_CERT` and `<PREFIX>_TLS_KEY` (file paths), or undefined
 * when neither is set (plain HTTP/WS). Checked now, so a wrong file stops the start with its name instead
 * of failing every handshake later: both set, readable, PEM, and the key belonging to the certificate.
 */
export function tlsFromEnv(
  prefix: 'AS' | 'CTI' | 'ISAG',
  environment: NodeJS.ProcessEnv = process.env,
): TlsPair | undefined {
  const certFile = environment[`${prefix}_TLS_CERT`] ?? '';
  const keyFile = environment[`${prefix}_TLS_KEY`] ?? '';
  if (certFile === '' && keyFile === '') return undefined;
  if (certFile === '' || keyFile === '')
    throw new Error(`${prefix}_TLS_CERT and ${prefix}_TLS_KEY go together: only one of them is set`);
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`${name} ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  const cert = read(`${prefix}_TLS_CERT`, certFile);
  const key = read(`${prefix}_TLS_KEY`, keyFile);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch (err) {
    throw new Error(`${prefix}_TLS_CERT ${certFile} is not a PEM certificate: ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    if (!leaf.checkPrivateKey(createPrivateKey(key))) throw new Error('it belongs to another certificate');
  } catch (err) {
    throw new Error(`${prefix}_TLS_KEY ${keyFile} does not fit ${certFile}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return { cert, key, certFile, names: leaf.subjectAltName ?? leaf.subject };
}
