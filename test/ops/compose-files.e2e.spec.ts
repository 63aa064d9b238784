import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, Service, interpolate, mountHolding, readCompose, readEnvFile, schemaErrors, servicesOf, volumeAt } from './compose-support';

/**
 * docker-compose.yml (the EventStoreDB cluster, two APIs, a proxy) and docker-compose.sqlite.yml (one API
 * on SQLite), checked without a Docker engine: against the compose specification's JSON schema after
 * compose's own interpolation, and for what the README promises of them.
 */
const CLUSTER = 'docker-compose.yml';
const SQLITE = 'docker-compose.sqlite.yml';
// What an operator sets from .env.example: the required passwords, and nothing else.
const OPERATOR_ENV = { ...readEnvFile('.env.example'), ESDB_ADMIN_PASSWORD: 'admin-secret', ESDB_OPS_PASSWORD: 'ops-secret' };

const cluster = readCompose(CLUSTER);
const sqlite = readCompose(SQLITE);
const resolved = (doc: Record<string, unknown>, env: Record<string, string> = OPERATOR_ENV) =>
  servicesOf(interpolate(doc, env) as Record<string, unknown>);

/** A one-shot: never restarted, and what depends on it waits for it to finish. */
const isOneShot = (name: string, service: Service, all: Readonly<Record<string, Service>>): boolean =>
  service.restart === 'no' &&
  Object.values(all).some((other) => other.depends_on?.[name] !== undefined) &&
  Object.values(all).every((other) => {
    const dependency = other.depends_on?.[name];
    return dependency === undefined || dependency.condition === 'service_completed_successfully';
  });

/** An image reference pinned to a full version: name:MAJOR.MINOR.PATCH[-variant]; never latest or a floating minor. */
const PINNED = /^[a-z0-9./_-]+:\d+\.\d+\.\d+(-[a-z0-9.-]+)?$/;

describe.each([
  [CLUSTER, cluster],
  [SQLITE, sqlite],
])('%s', (file, doc) => {
  const services = resolved(doc);

  it('conforms to the compose specification schema, before and after interpolation', () => {
    expect(schemaErrors(doc)).toEqual([]);
    expect(schemaErrors(interpolate(doc, OPERATOR_ENV))).toEqual([]);
  });

  it('gives every long-running service a restart policy and a health check (one-shots excepted)', () => {
    for (const [name, service] of Object.entries(services)) {
      if (isOneShot(name, service, services)) continue;
      expect([name, service.restart]).toEqual([name, expect.stringMatching(/^(unless-stopped|always|on-failure(:\d+)?)$/)]);
      expect([name, service.healthcheck?.disable]).toEqual([name, undefined]);
      expect([name, Array.isArray(service.healthcheck?.test)]).toEqual([name, true]);
    }
  });

  it('pins every pulled image to a patch version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build !== undefined) continue; // built here from the Dockerfile, whose base is pinned (dockerfile spec)
      expect([name, service.image]).toEqual([name, expect.stringMatching(PINNED)]);
    }
  });

  it('keeps data in named volumes; binds only read-only files from deploy/', () => {
    const declared = Object.keys((doc.volumes ?? {}) as object);
    for (const [name, service] of Object.entries(services))
      for (const mount of service.volumes ?? []) {
        const [source = ''] = mount.split(':');
        if (source.startsWith('.')) expect([name, mount]).toEqual([name, expect.stringMatching(/^\.\/deploy\/[^:]+:[^:]+:ro$/)]);
        else expect([name, declared]).toEqual([name, expect.arrayContaining([source])]);
      }
  });

  it('publishes one port, on 127.0.0.1 unless API_BIND says otherwise', () => {
    const published = Object.entries(services).filter(([, service]) => (service.ports ?? []).length > 0);
    expect(published).toHaveLength(1);
    const [, service] = published[0]!;
    expect(service.ports).toEqual([expect.stringMatching(/^127\.0\.0\.1:3000:\d+$/)]);
    expect(resolved(doc, { ...OPERATOR_ENV, API_BIND: '0.0.0.0', API_PORT: '8443' })[published[0]![0]]!.ports).toEqual([
      expect.stringMatching(/^0\.0\.0\.0:8443:\d+$/),
    ]);
  });

  it('commits no secret: every password comes from a variable, and .env is ignored by git', () => {
    const raw = readFileSync(join(REPO, file), 'utf8');
    // An environment entry named *PASSWORD is a required variable; a URL's user info is a variable too.
    for (const line of raw.split('\n').filter((text) => /^\s+\w*PASSWORD\w*:/.test(text)))
      expect(line).toMatch(/PASSWORD\w*: \$\{[A-Z_]+:\?[^}]+\}$/);
    for (const userInfo of raw.match(/[a-z]+:\/\/[^@\s/]+@/g) ?? []) expect(userInfo).toMatch(/^[a-z]+:\/\/\w+:\$\{/);
    expect(Object.entries(readEnvFile('.env.example')).filter(([key, value]) => /PASSWORD|SECRET|KEY/.test(key) && value !== '')).toEqual(
      [],
    );
    expect(spawnSync('git', ['check-ignore', '-q', '.env'], { cwd: REPO }).status).toBe(0);
  });
});

/** esdb://user:password@host:port,host:port?query (WHATWG URL refuses the host list). */
const connectionString = (text: string) => {
  const match = /^esdb:\/\/([^:@]+):([^@]+)@([^?/]+)\/?\?(.*)$/.exec(text);
  if (match === null) throw new Error(`not an esdb:// connection string with credentials: ${text}`);
  return { user: match[1]!, password: match[2]!, hosts: match[3]!.split(','), query: new URLSearchParams(match[4]) };
};

describe(`${CLUSTER}: the EventStoreDB cluster`, () => {
  const services = resolved(cluster);
  const nodes = Object.entries(services).filter(([, service]) => service.image?.startsWith('eventstore/eventstore:'));
  const nodeNames = nodes.map(([name]) => name);
  const apis = Object.entries(services).filter(([, service]) => service.build !== undefined);
  const env = (service: Service, key: string) => String(service.environment?.[key]);

  it('refuses to start without the passwords', () => {
    expect(() => interpolate(cluster, { ESDB_OPS_PASSWORD: 'x' })).toThrow(/ESDB_ADMIN_PASSWORD/);
    expect(() => interpolate(cluster, { ESDB_ADMIN_PASSWORD: 'x' })).toThrow(/ESDB_OPS_PASSWORD/);
  });

  it('has three nodes of 24.10, gossiping with each other, publishing nothing', () => {
    expect(nodeNames).toHaveLength(3);
    for (const [name, node] of nodes) {
      expect(node.image).toMatch(/^eventstore\/eventstore:24\.10\.\d+$/);
      expect(env(node, 'EVENTSTORE_CLUSTER_SIZE')).toBe('3');
      expect(env(node, 'EVENTSTORE_GOSSIP_SEED').split(',').sort()).toEqual(
        nodeNames.filter((other) => other !== name).map((other) => `${other}:2113`),
      );
      expect(env(node, 'EVENTSTORE_NODE_HOST_ADVERTISE_AS')).toBe(name);
      expect(node.ports ?? []).toEqual([]);
      // Deprecated since 23.10 (NodePort and friends replace them).
      expect(Object.keys(node.environment ?? {}).filter((key) => /_HTTP_PORT$|_EXT_IP$|_INT_IP$|_INT_TCP_PORT$/.test(key))).toEqual([]);
    }
  });

  it('is secure unless ESDB_INSECURE says otherwise, with certificates from the one-shot service', () => {
    for (const [name, node] of nodes) {
      expect(env(node, 'EVENTSTORE_INSECURE')).toBe('false');
      expect(env(node, 'EVENTSTORE_CERTIFICATE_FILE')).toBe(`/certs/${name}/node.crt`);
      expect(env(node, 'EVENTSTORE_CERTIFICATE_PRIVATE_KEY_FILE')).toBe(`/certs/${name}/node.key`);
      expect(node.volumes).toContain(`${volumeAt(node, '/certs')}:/certs:ro`);
      const [certService] =
        Object.entries(node.depends_on ?? {}).find(([, dep]) => dep.condition === 'service_completed_successfully') ?? [];
      expect(services[certService!]!.image).toMatch(/^eventstore\/es-gencert-cli:/);
      expect(volumeAt(services[certService!]!, '/certs')).toBe(volumeAt(node, '/certs'));
    }
    expect(resolved(cluster, { ...OPERATOR_ENV, ESDB_INSECURE: 'true' }).esdb1!.environment!.EVENTSTORE_INSECURE).toBe('true');
  });

  it('keeps the CA key to the certificate service: no node or API mounts its volume', () => {
    const [certName, certService] = Object.entries(services).find(([, service]) =>
      service.image?.startsWith('eventstore/es-gencert-cli:'),
    )!;
    const caVolume = volumeAt(certService, '/ca');
    expect(caVolume).toBeDefined();
    const mounting = Object.entries(services).filter(([, service]) =>
      (service.volumes ?? []).some((mount) => mount.split(':')[0] === caVolume),
    );
    expect(mounting.map(([name]) => name)).toEqual([certName]);
    // The script it runs names the same nodes.
    const script = readFileSync(join(REPO, 'deploy', 'esdb', 'gen-certs.sh'), 'utf8');
    expect(/NODES="\$\{ESDB_NODES:-([^}]*)\}"/.exec(script)?.[1]?.split(' ').sort()).toEqual([...nodeNames].sort());
  });

  it('runs two API instances on all three nodes over TLS, each with its own snapshot in its own volume', () => {
    expect(apis).toHaveLength(2);
    const snapshots = apis.map(([, api]) => env(api, 'PROJECTION_SNAPSHOT'));
    expect(new Set(snapshots).size).toBe(2);
    const dataVolumes = apis.map(([, api], i) => {
      const target = mountHolding(api, snapshots[i]!);
      expect(target).toBeDefined();
      return volumeAt(api, target!);
    });
    expect(new Set(dataVolumes).size).toBe(2);
    for (const [, api] of apis) {
      expect(env(api, 'EVENT_STORE')).toBe('eventstoredb');
      const url = connectionString(env(api, 'EVENTSTORE_CONNECTION_STRING'));
      expect(url.password).toBe('admin-secret');
      expect(url.hosts.sort()).toEqual(nodeNames.map((node) => `${node}:2113`));
      expect(url.query.get('tls')).toBe('true');
      expect(mountHolding(api, url.query.get('tlsCAFile')!)).toBe('/certs');
      expect(env(api, 'HOST')).toBe('0.0.0.0');
      expect(env(api, 'TRUST_PROXY')).toBe('1');
      expect(api.ports ?? []).toEqual([]);
      expect(Object.keys(api.depends_on ?? {}).sort()).toEqual([...nodeNames].sort());
      expect(JSON.stringify(api.healthcheck?.test)).toContain(`127.0.0.1:${env(api, 'PORT')}/ready`);
    }
    // A percent-encoded password, when the plain one would break the URL.
    const encoded = resolved(cluster, { ...OPERATOR_ENV, ESDB_ADMIN_PASSWORD: 'a@b', ESDB_ADMIN_PASSWORD_URL: 'a%40b' });
    expect(connectionString(env(encoded[apis[0]![0]]!, 'EVENTSTORE_CONNECTION_STRING')).password).toBe('a%40b');
  });

  it('reaches the APIs only through the proxy, which spreads requests over exactly those two on /ready', () => {
    const [proxyName, proxy] = Object.entries(services).find(([, service]) => (service.ports ?? []).length > 0)!;
    expect(proxy.image).toMatch(/^caddy:/);
    const caddyfile = readFileSync(join(REPO, 'deploy', 'proxy', 'Caddyfile'), 'utf8');
    const upstreams = /reverse_proxy ([^{\n]+)\{/.exec(caddyfile)?.[1]?.trim().split(/\s+/);
    expect(upstreams?.sort()).toEqual(apis.map(([name, api]) => `${name}:${env(api, 'PORT')}`).sort());
    expect(caddyfile).toMatch(/health_uri \/ready\n/);
    const listen = /^:(\d+) \{/m.exec(caddyfile)?.[1];
    expect(proxy.ports).toEqual([`127.0.0.1:3000:${listen}`]);
    expect(Object.keys(proxy.depends_on ?? {}).sort()).toEqual(apis.map(([name]) => name).sort());
    // The nodes sit on an internal network the proxy is not on.
    const networks = cluster.networks as Record<string, { internal?: boolean }>;
    for (const [name, node] of nodes) {
      expect([name, (node.networks as string[]).every((network) => networks[network]?.internal === true)]).toEqual([name, true]);
      expect((proxy.networks as string[]).filter((network) => (node.networks as string[]).includes(network))).toEqual([]);
    }
    expect(proxyName).toBe('proxy');
  });
});

describe(`${SQLITE}: one API on the embedded store`, () => {
  const services = resolved(sqlite);
  const apis = Object.values(services).filter((service) => service.build !== undefined);

  it('keeps the store, its snapshot and the admin key in one named volume, so down -v removes them together', () => {
    expect(Object.keys(services)).toHaveLength(1);
    expect(apis).toHaveLength(1);
    const api = apis[0]!;
    expect(api.environment?.EVENT_STORE).toBe('sqlite');
    const holding = [String(api.environment?.TREASURY_DB), String(api.environment?.PROJECTION_SNAPSHOT)].map((path) =>
      mountHolding(api, path),
    );
    expect(holding).toEqual(['/data', '/data']);
    expect(volumeAt(api, '/data')).toBe('treasury-data');
    expect(JSON.stringify(api.healthcheck?.test)).toContain(`127.0.0.1:${String(api.environment?.PORT)}/ready`);
  });
});

describe('docker compose config', () => {
  // Where the compose plugin is installed, its own validation too; CI has no Docker, so this says why it skips.
  const available = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
  (available ? it : it.skip)('accepts both files', () => {
    for (const file of [CLUSTER, SQLITE]) {
      const result = spawnSync('docker', ['compose', '-f', file, 'config', '--quiet'], {
        cwd: REPO,
        encoding: 'utf8',
        env: { ...process.env, ...OPERATOR_ENV },
      });
      expect([file, result.status, result.stderr]).toEqual([file, 0, '']);
    }
  });
  if (!available)
    it('is not run here: no docker compose plugin (`docker compose up` and `docker build` need a Docker engine, so CI does not run them)', () => {
      console.info('test/ops: `docker compose config` skipped: the docker compose plugin is not installed here.');
    });
});
