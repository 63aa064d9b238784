import { Agent, request } from 'node:http';

/** One request a client sends: the server answers `expect`, or the run stops. */
export interface LoadRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly expect: number;
}

export interface LoadResult {
  readonly sent: number;
  readonly elapsedMs: number;
  readonly samples: number[];
  /** Server CPU (user + system) per request, in microseconds. */
  readonly serverCpuUs: number;
  /** The bench's own CPU per request (it shares the machine with the server), in microseconds. */
  readonly clientCpuUs: number;
}

const send = (agent: Agent, baseUrl: string, req: LoadRequest): Promise<number> =>
  new Promise((resolve, reject) => {
    const headers = req.body === undefined ? req.headers : { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) };
    const outgoing = request(`${baseUrl}${req.path}`, { method: req.method, agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });

/**
 * `clients` concurrent clients, each on its own keep-alive connection, each sending its next request as
 * soon as the last is answered, for `seconds`. node:http rather than fetch: the client shares the two
 * cores with the server, and fetch costs it about twice the CPU per request.
 */
export const runLoad = async (
  baseUrl: string,
  clients: number,
  seconds: number,
  serverCpuMs: () => number,
  next: (client: number) => LoadRequest,
): Promise<LoadResult> => {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let sent = 0;
  const samples: number[] = [];
  const serverBefore = serverCpuMs();
  const clientBefore = process.cpuUsage();
  const began = performance.now();
  const deadline = began + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        while (performance.now() < deadline) {
          const req = next(client);
          const t0 = performance.now();
          const status = await send(agent, baseUrl, req);
          if (status !== req.expect) throw new Error(`${req.method} ${req.path} answered ${status}, not ${req.expect}`);
          samples.push(performance.now() - t0);
          sent += 1;
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const elapsedMs = performance.now() - began;
  const client = process.cpuUsage(clientBefore);
  return {
    sent,
    elapsedMs,
    samples,
    serverCpuUs: ((serverCpuMs() - serverBefore) * 1000) / sent,
    clientCpuUs: (client.user + client.system) / sent,
  };
};
