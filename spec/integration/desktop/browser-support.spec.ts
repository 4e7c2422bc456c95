import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { expect } from '../../support/chai';
import { offerTimings, paintedOffer, stampOffers } from '../../support/screen-pop-timing';
import { fakeCamera, framesRise, launchBrowser, mediaStats, newContext } from '../../support/browser';

/**
 * The browser the desktop tests stand on, without the system: Debian's Chromium starts headless, its
 * fake camera plays ffmpeg's test pattern, and a peer connection inside one page (two
 * RTCPeerConnections joined by hand, no server) decodes what the other encoded. The page exposes the
 * same `window.__ipcc.getStats()` the agent desktop does, so the frame counter the other tests read
 * is checked here against a picture that is known to flow.
 */
const PAGE = 'http://127.0.0.1:9/loopback.html'; // answered by page.route: nothing listens there

describe('desktop tests: Chromium with a fake camera decodes its own video', function () {
  this.timeout(60_000);
  let browser: Browser | undefined;

  after(async () => {
    await browser?.close();
  });

  it('ffmpeg writes a 320x240 y4m test pattern', async () => {
    const { readFile } = await import('node:fs/promises');
    const head = (await readFile(await fakeCamera())).subarray(0, 64).toString('latin1');
    expect(head.split('\n')[0]).to.match(/^YUV4MPEG2 W320 H240 F10:1 /);
  });

  it('framesSent and framesDecoded rise in a loopback call inside one page', async () => {
    browser = await launchBrowser();
    const page = await (await newContext(browser, new URL(PAGE).origin)).newPage();
    // getUserMedia needs a secure context: a loopback origin is one (about:blank is not).
    await page.route(PAGE, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<video id="v" autoplay muted playsinline></video>' }),
    );
    await page.goto(PAGE);
    await page.evaluate(async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      const a = new RTCPeerConnection();
      const b = new RTCPeerConnection();
      a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
      b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
      b.ontrack = (e) => {
        (document.getElementById('v') as HTMLVideoElement).srcObject = e.streams[0] ?? null;
      };
      for (const t of stream.getTracks()) a.addTrack(t, stream);
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription!);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription!);
      const count = async (pc: RTCPeerConnection, type: string, key: string) => {
        let n = 0;
        (await pc.getStats()).forEach((r: Record<string, unknown>) => {
          if (r.type === type && r.kind === 'video') n += Number(r[key] ?? 0);
        });
        return n;
      };
      (window as unknown as { __ipcc: unknown }).__ipcc = {
        getStats: async () => ({
          framesDecoded: await count(b, 'inbound-rtp', 'framesDecoded'),
          framesSent: await count(a, 'outbound-rtp', 'framesSent'),
        }),
      };
    });
    // 10 frames/s from the y4m: 15 frames in 5 s is well inside what flows when the path works.
    const decoded = await framesRise(page, 'framesDecoded', { by: 15, within: 5000 });
    const sent = await framesRise(page, 'framesSent', { by: 15, within: 5000 });
    console.log(`      loopback: decoded ${JSON.stringify(decoded)}, sent ${JSON.stringify(sent)}`);
    expect(decoded.to.framesDecoded - decoded.from.framesDecoded).to.be.at.least(15);
    expect(sent.to.framesSent - sent.from.framesSent).to.be.at.least(15);
    const none = await browser.newPage();
    await none.setContent('<p>no hook</p>');
    const missing = await mediaStats(none).then(
      () => 'resolved',
      (err: Error) => err.message,
    );
    expect(missing).to.include('window.__ipcc.getStats is missing');
  });

  it('stamps an offer frame on arrival and the pop when its number is painted', async () => {
    // The "app": a page from a real loopback server (Chromium's local-network checks refuse a
    // WebSocket to loopback from a page that page.route made up) rendering the number 200 ms later.
    const app = `<div id="pop"></div><script>
      const ws = new WebSocket('ws://' + location.host);
      ws.onmessage = (e) => { if (e.data[0] !== '{') return; const m = JSON.parse(e.data);
        setTimeout(() => { document.getElementById('pop').textContent = 'Call from ' + m.callingNumber; }, 200); };
    </script>`;
    const http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(app));
    const server = new WebSocketServer({ server: http });
    server.on('connection', (ws) => {
      ws.send('SIP/2.0 200 OK'); // a non-JSON frame (JsSIP shares the class) is left alone
      ws.send(JSON.stringify({ type: 'offer', contactId: 'c-1', callingNumber: '15550001111' }));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      browser ??= await launchBrowser();
      const context = await newContext(browser, origin);
      await stampOffers(context);
      const page = await context.newPage();
      await page.goto(origin);
      const t = await paintedOffer(page, 'c-1');
      console.log(`      stamps: ${JSON.stringify(t)}`);
      expect(t.callingNumber).to.equal('15550001111');
      expect(t.shownPerf! - t.receivedPerf).to.be.within(195, 600);
      expect(t.paintedPerf! - t.shownPerf!).to.be.within(0, 200);
      expect(t.paintedAt! - t.receivedAt).to.be.within(195, 800);
      expect(await offerTimings(page)).to.have.length(1);
      await context.close();
    } finally {
      server.close();
      http.close();
    }
  });
});
