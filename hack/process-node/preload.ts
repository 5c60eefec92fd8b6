// Loaded into every Node process the process node starts (NODE_OPTIONS=--import <this file>), it gives the
// process the two things a pod network namespace would give it:
//   - cluster DNS: dns.lookup / dns.promises.lookup (used by net, http, fetch, the Kafka and S3 clients)
//     answer Service and pod names from the records file the node agent keeps current, with the pod's
//     search list (see cluster-dns.ts); `localhost` and the pod's hostname resolve to the pod IP; other
//     names go to the system resolver;
//   - its own address: a server that listens on the wildcard address (no host, 0.0.0.0 or ::) listens on
//     the pod IP instead, so that two pods can both serve port 8081 (each pod IP is a distinct 127.x
//     loopback address). Explicit hosts are left alone.
//   - its hostname: os.hostname() is the pod's (HOSTNAME: spec.hostname or the pod name), as in a
//     container's UTS namespace;
//   - it dies with the node agent: when the agent is gone (the process was re-parented), it exits, so
//     a SIGKILLed agent leaves no pod program behind (PR_SET_PDEATHSIG, which the agent also sets via
//     setpriv, is not honoured by this machine's kernel).
// Non-Node programs get none of this (they see POD_IP-style env only); see main.ts.
import dns from 'node:dns';
import { readFileSync, statSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import { type DnsRecords, type PodIdentity, resolveClusterName } from './cluster-dns.ts';

const file = process.env.RIFFLE_PN_DNS_FILE ?? '';
const podIP = process.env.RIFFLE_PN_POD_IP ?? '';
const pod: PodIdentity | undefined =
  podIP === ''
    ? undefined
    : {
        podIP,
        namespace: process.env.RIFFLE_PN_POD_NAMESPACE ?? 'default',
        hostname: process.env.HOSTNAME ?? '',
      };

let cached: { mtimeMs: number; records: DnsRecords } = { mtimeMs: -1, records: { records: {} } };

function records(): DnsRecords {
  try {
    const m = statSync(file).mtimeMs;
    if (m !== cached.mtimeMs)
      cached = { mtimeMs: m, records: JSON.parse(readFileSync(file, 'utf8')) as DnsRecords };
  } catch {
    // no file yet (or mid-rename): keep the last records
  }
  return cached.records;
}

function clusterAnswer(hostname: string): readonly string[] | 'nxdomain' | undefined {
  if (typeof hostname !== 'string' || net.isIP(hostname) !== 0) return undefined;
  const ips = resolveClusterName(records(), hostname, pod);
  if (ips !== undefined && ips.length > 0) return ips;
  return /\.(svc|cluster\.local)\.?$/i.test(hostname) ? 'nxdomain' : undefined;
}

type LookupOptions = { family?: number | string; all?: boolean };
type LookupCallback = (err: NodeJS.ErrnoException | null, address?: unknown, family?: number) => void;

const originalLookup = dns.lookup;
function notFound(hostname: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname} (no ready endpoints)`);
  err.code = 'ENOTFOUND';
  err.syscall = 'getaddrinfo';
  return err;
}

function patchedLookup(hostname: string, options: unknown, callback?: unknown): void {
  const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
  const opts: LookupOptions =
    typeof options === 'number'
      ? { family: options }
      : typeof options === 'object' && options !== null
        ? options
        : {};
  const answer = clusterAnswer(hostname);
  if (answer === undefined) {
    (originalLookup as (...a: unknown[]) => void)(
      hostname,
      ...(typeof options === 'function' ? [] : [options]),
      cb,
    );
    return;
  }
  process.nextTick(() => {
    if (answer === 'nxdomain' || opts.family === 6 || opts.family === 'IPv6') return cb(notFound(hostname));
    if (opts.all)
      return cb(
        null,
        answer.map((address) => ({ address, family: 4 })),
      );
    return cb(null, answer[0], 4);
  });
}
dns.lookup = patchedLookup as typeof dns.lookup;

const originalPromisesLookup = dns.promises.lookup;
dns.promises.lookup = (async (hostname: string, options?: LookupOptions | number) => {
  const answer = clusterAnswer(hostname);
  if (answer === undefined) return originalPromisesLookup(hostname, options as never);
  const opts: LookupOptions = typeof options === 'number' ? { family: options } : (options ?? {});
  if (answer === 'nxdomain' || opts.family === 6) throw notFound(hostname);
  return opts.all ? answer.map((address) => ({ address, family: 4 })) : { address: answer[0], family: 4 };
}) as typeof dns.promises.lookup;
const podHostname = process.env.HOSTNAME;
if (pod !== undefined && podHostname) os.hostname = () => podHostname;
syncBuiltinESMExports();

const agentPid = Number(process.env.RIFFLE_PN_AGENT_PID ?? 0);
if (agentPid > 0 && process.ppid === agentPid) {
  setInterval(() => {
    if (process.ppid !== agentPid) {
      process.stderr.write(`riffle process node agent ${agentPid} is gone: exiting\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  }, 1000).unref();
}

const WILDCARD = new Set(['', '0.0.0.0', '::', '::0', '[::]']);
const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listen(this: net.Server, ...args: unknown[]) {
  if (pod !== undefined) {
    const [first, second] = args;
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      if (typeof second !== 'string') args.splice(1, 0, pod.podIP);
      else if (WILDCARD.has(second)) args[1] = pod.podIP;
    } else if (typeof first === 'object' && first !== null && !('_handle' in first) && !('fd' in first)) {
      const o = first as net.ListenOptions;
      if (o.path === undefined && (o.host === undefined || WILDCARD.has(o.host)))
        args[0] = { ...o, host: pod.podIP };
    } else if (first === undefined || typeof first === 'function') {
      args.unshift(0, pod.podIP);
    }
  }
  return (originalListen as (...a: unknown[]) => net.Server).apply(this, args);
} as typeof net.Server.prototype.listen;
