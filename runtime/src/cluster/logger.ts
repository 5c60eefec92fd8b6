// Structured JSON logs (pino). On a terminal the same records are printed as readable lines.
import { Writable } from 'node:stream';
import { type Logger, pino } from 'pino';

export type { Logger };

export function createLogger(component: string, fields: Record<string, unknown> = {}): Logger {
  const level = process.env.RIFFLE_LOG_LEVEL ?? 'info';
  const pretty = process.stdout.isTTY === true && process.env.RIFFLE_LOG_FORMAT !== 'json';
  return pino({ level, base: { component, ...fields } }, pretty ? terminalStream() : process.stdout);
}

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

function terminalStream(): Writable {
  return new Writable({
    write(chunk, _enc, done) {
      try {
        const {
          level,
          time,
          msg,
          component,
          pid: _pid,
          hostname: _host,
          ...rest
        } = JSON.parse(String(chunk));
        const extra = Object.entries(rest)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        const clock = new Date(time).toISOString().slice(11, 23);
        process.stdout.write(
          `${clock} ${(LEVELS[level] ?? level).padEnd(5)} [${component}] ${msg}${extra ? ` ${extra}` : ''}\n`,
        );
      } catch {
        process.stdout.write(chunk);
      }
      done();
    },
  });
}
