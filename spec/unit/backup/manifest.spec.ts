import { createHash } from 'node:crypto';
import { expect } from '../../support/chai';
import {
  compareWithManifest,
  isDumpableCollection,
  isSafeRelativePath,
  LineDigest,
  parseManifest,
  type Manifest,
} from '../../../scripts/backup/manifest';
import { indexSpec } from '../../../scripts/backup/store';
import { parseArgs } from '../../../scripts/backup';

const entry = (sha: string, count = 1) => ({ count, sha256: sha });

describe('backup: manifest and checksums', () => {
  it("a collection's line digest is the SHA-256 of its dump file's bytes", () => {
    const d = new LineDigest();
    const lines = ['{"_id":{"$oid":"65a000000000000000000001"}}', '{"x":"é"}'];
    for (const l of lines) d.add(l);
    expect(d.count).to.equal(2);
    expect(d.hex()).to.equal(
      createHash('sha256')
        .update(`${lines.join('\n')}\n`)
        .digest('hex'),
    );
  });

  it('an empty collection has the digest of an empty file', () => {
    expect(new LineDigest().hex()).to.equal(createHash('sha256').update('').digest('hex'));
  });

  it('names every missing, extra and different entry', () => {
    const expected = {
      collections: { a: entry('1'), b: entry('2', 5) },
      recordings: { 'recording/x.wav': { bytes: 3, sha256: 'f' } },
    };
    const found = {
      collections: { a: entry('1'), b: entry('2', 4), c: entry('3') },
      recordings: {},
    };
    expect(compareWithManifest(expected, found)).to.deep.equal([
      'collection b: expected {"count":5,"sha256":"2"}, found {"count":4,"sha256":"2"}',
      'collection c: not in the manifest',
      'recording recording/x.wav: missing',
    ]);
    expect(compareWithManifest(expected, expected)).to.deep.equal([]);
  });

  it('collection names and recording paths cannot leave the archive directory', () => {
    expect(['agents', 'audit_log', 'a.b-c'].map(isDumpableCollection)).to.deep.equal([true, true, true]);
    expect(['system.views', '../x', 'a/b', '', 'x..y'].map(isDumpableCollection)).to.deep.equal([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(isSafeRelativePath('recording/sub/a.wav')).to.equal(true);
    for (const bad of ['/etc/passwd', '../x', 'a/../../b', 'a//b', './a', 'a\\b', ''])
      expect(isSafeRelativePath(bad), bad).to.equal(false);
  });

  it('parseManifest refuses another format and unsafe names', () => {
    const good: Manifest = {
      format: 'ipcc-backup/1',
      createdAt: '2026-12-07T00:00:00.000Z',
      gitRevision: 'abc',
      database: 'ipcc',
      collections: { agents: entry('1') },
      recordings: { 'recording/a.wav': { bytes: 1, sha256: '2' } },
    };
    expect(parseManifest(JSON.stringify(good))).to.deep.equal(good);
    expect(() => parseManifest(JSON.stringify({ ...good, format: 'x' }))).to.throw('not an ipcc backup');
    expect(() =>
      parseManifest(
        JSON.stringify({ ...good, recordings: { '../../etc/cron.d/x': good.recordings['recording/a.wav'] } }),
      ),
    ).to.throw('unsafe names ../../etc/cron.d/x');
  });

  it('index definitions become createIndexes specs: _id_ skipped, options (unique, TTL) kept', () => {
    expect(indexSpec({ v: 2, key: { _id: 1 }, name: '_id_' })).to.equal(null);
    expect(
      indexSpec({ v: 2, key: { login: 1 }, name: 'login_1', unique: true, ns: 'ipcc.agents' }),
    ).to.deep.equal({
      key: { login: 1 },
      name: 'login_1',
      unique: true,
    });
    expect(indexSpec({ v: 2, key: { at: 1 }, name: 'ttl', expireAfterSeconds: 60 })).to.deep.equal({
      key: { at: 1 },
      name: 'ttl',
      expireAfterSeconds: 60,
    });
  });

  it('command line: backup and restore options', () => {
    expect(parseArgs(['backup', '--out', 'x.tgz', '--db', 'd'])).to.deep.include({
      command: 'backup',
      out: 'x.tgz',
      db: 'd',
    });
    expect(parseArgs(['restore', 'x.tgz', '--drop'])).to.deep.include({
      command: 'restore',
      file: 'x.tgz',
      drop: true,
    });
    expect(() => parseArgs(['restore'])).to.throw('usage');
    expect(() => parseArgs(['backup', '--out'])).to.throw('--out needs a value');
    expect(() => parseArgs(['backup', 'stray'])).to.throw('unexpected stray');
  });
});
