// Container probes as the kubelet runs them: httpGet (2xx/3xx within timeoutSeconds, host defaults to the
// pod IP, port by number or by container port name), tcpSocket (connects), exec (exit code 0, run with
// the container's environment and working directory); grpc is not supported and counts as success.
// ProbeLoop applies initialDelaySeconds, periodSeconds and the success/failure thresholds.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { V1ContainerPort, V1Probe } from '@kubernetes/client-node';

export type ProbeContext = {
  readonly podIP: string;
  readonly ports: readonly V1ContainerPort[];
  /** Runs argv as an exec probe would (container env, cwd); resolves with the exit code. */
  readonly exec: (argv: readonly string[], timeoutMs: number) => Promise<number>;
};

export function probePort(port: number | string, ports: readonly V1ContainerPort[]): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const found = ports.find((p) => p.name === port);
  if (found === undefined) throw new Error(`probe port "${port}" names no container port`);
  return found.containerPort;
}

export async function runProbe(probe: V1Probe, ctx: ProbeContext): Promise<boolean> {
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.httpGet) {
    const g = probe.httpGet;
    const port = probePort(g.port as number | string, ctx.ports);
    const mod = g.scheme === 'HTTPS' ? https : http;
    return new Promise<boolean>((resolve) => {
      const headers = Object.fromEntries((g.httpHeaders ?? []).map((h) => [h.name, h.value]));
      const req = mod.get(
        {
          host: g.host ?? ctx.podIP,
          port,
          path: g.path ?? '/',
          headers,
          timeout: timeoutMs,
          rejectUnauthorized: false,
        },
        (res) => {
          res.resume();
          const code = res.statusCode ?? 0;
          resolve(code >= 200 && code < 400);
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
    });
  }
  if (probe.tcpSocket) {
    const port = probePort(probe.tcpSocket.port as number | string, ctx.ports);
    return new Promise<boolean>((resolve) => {
      const s = net.connect({ host: probe.tcpSocket?.host ?? ctx.podIP, port, timeout: timeoutMs });
      s.on('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.on('timeout', () => {
        s.destroy();
        resolve(false);
      });
      s.on('error', () => resolve(false));
    });
  }
  if (probe.exec) {
    const code = await ctx.exec(probe.exec.command ?? [], timeoutMs).catch(() => 1);
    return code === 0;
  }
  return true;
}

/** Runs one probe periodically and reports when its result (after the thresholds) changes. */
export class ProbeLoop {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private successes = 0;
  private failures = 0;
  private result: boolean | undefined;
  private readonly probe: V1Probe;
  private readonly ctx: ProbeContext;
  private readonly onResult: (ok: boolean) => void;
  private readonly eager: boolean;

  /** eager (readiness): until the first verdict, probe every 0.5 s so a pod turns Ready soon after it can serve. */
  constructor(probe: V1Probe, ctx: ProbeContext, onResult: (ok: boolean) => void, eager = false) {
    this.probe = probe;
    this.ctx = ctx;
    this.onResult = onResult;
    this.eager = eager;
  }

  start(): void {
    this.timer = setTimeout(() => void this.tick(), (this.probe.initialDelaySeconds ?? 0) * 1000);
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const ok = await runProbe(this.probe, this.ctx).catch(() => false);
    if (this.stopped) return;
    if (ok) {
      this.successes++;
      this.failures = 0;
      if (this.successes >= (this.probe.successThreshold ?? 1) && this.result !== true) {
        this.result = true;
        this.onResult(true);
      }
    } else {
      this.failures++;
      this.successes = 0;
      if (this.failures >= (this.probe.failureThreshold ?? 3) && this.result !== false) {
        this.result = false;
        this.onResult(false);
      }
    }
    const period = (this.probe.periodSeconds ?? 10) * 1000;
    const next = this.eager && this.result !== true ? Math.min(500, period) : period;
    this.timer = setTimeout(() => void this.tick(), next);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}
