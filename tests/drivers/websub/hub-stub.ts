/** A WebSub hub stand-in: Hono on 127.0.0.1, port 0, recording publish pings; answers scripted. */
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';

export interface Ping {
  readonly mode: string | null;
  readonly url: string | null;
  readonly contentType: string | null;
}

export interface HubStub {
  readonly url: string;
  readonly pings: Ping[];
  /** Status codes answered in turn (then 204); `'hang'` never answers. */
  script(...answers: (number | 'hang')[]): void;
  close(): Promise<void>;
}

export async function startHubStub(): Promise<HubStub> {
  const pings: Ping[] = [];
  let answers: (number | 'hang')[] = [];
  const app = new Hono();
  app.post('/hub', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    pings.push({
      mode: form.get('hub.mode'),
      url: form.get('hub.url'),
      contentType: c.req.header('content-type') ?? null,
    });
    const answer = answers.shift() ?? 204;
    if (answer === 'hang') return new Promise<Response>(() => {});
    return c.body(null, answer as 204);
  });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hub`,
    pings,
    script: (...next) => {
      answers = next;
    },
    close: () =>
      new Promise<void>((done) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => done());
      }),
  };
}
