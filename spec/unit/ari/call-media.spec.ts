import { ariCallMedia } from '../../../stasis-app/ari/call-media';
import { AriError, type AriRest } from '../../../stasis-app/ari/rest';
import { expect } from '../../support/chai';

/** An ARI whose `record` answers the given statuses in turn (0 = success); snoop always succeeds. */
function ari(recordStatuses: number[]): { rest: AriRest; paths: string[] } {
  const paths: string[] = [];
  const rest: AriRest = {
    get: () => Promise.reject(new Error('not used')),
    put: () => Promise.reject(new Error('not used')),
    delete: () => Promise.resolve(),
    post: (path: string) => {
      paths.push(path);
      if (!path.endsWith('/record')) return Promise.resolve({} as never);
      const status = recordStatuses.shift() ?? 0;
      return status === 0
        ? Promise.resolve({} as never)
        : Promise.reject(new AriError(status, 'POST', path, 'Channel not in Stasis application'));
    },
  };
  return { rest, paths };
}

const request = {
  channelId: 'c1',
  snoopId: 'c1-snoop',
  app: 'softacd',
  appArgs: ['snoop', 'k1'],
  name: 'k1-rec',
  format: 'wav',
};

describe('bridge recording through a snoop channel', () => {
  it('asks again while the new snoop channel is not yet in Stasis (409), then records', async () => {
    const { rest, paths } = ari([409, 409]);
    expect(await ariCallMedia(rest).recordChannel(request)).to.equal(true);
    expect(paths.filter((p) => p.endsWith('/record'))).to.have.length(3);
  });

  it('answers false at once when the snooped caller is gone (404)', async () => {
    const { rest, paths } = ari([404]);
    expect(await ariCallMedia(rest).recordChannel(request)).to.equal(false);
    expect(paths.filter((p) => p.endsWith('/record'))).to.have.length(1);
  });

  it('gives up with false after its attempts when 409 persists', async () => {
    const { rest, paths } = ari(Array.from({ length: 100 }, () => 409));
    expect(await ariCallMedia(rest).recordChannel(request)).to.equal(false);
    expect(paths.filter((p) => p.endsWith('/record'))).to.have.length(25);
  });
});
