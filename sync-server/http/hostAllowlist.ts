/**
 * DNS rebinding: a web page on attacker.example can make its own name resolve to
 * 127.0.0.1 and then talk to this service as a "same-origin" site. The browser still
 * sends the name it used in the Host header, so only requests naming this machine (its
 * loopback names, or the names the service was started with) are served.
 */
import type { NextFunction, Request, Response } from 'express';

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** The host part of a Host header, lower-cased, without the port. */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.lastIndexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

export function allowedHosts(extra: readonly string[]): Set<string> {
  const set = new Set(LOOPBACK);
  for (const name of extra) {
    const n = name.trim().toLowerCase();
    // 0.0.0.0 / :: are wildcards to listen on, not names anyone types.
    if (!n || n === '0.0.0.0' || n === '::' || n === '[::]') continue;
    set.add(n.includes(':') && !n.startsWith('[') ? `[${n}]` : n);
  }
  return set;
}

export function hostAllowlist(extra: readonly string[]) {
  const allowed = allowedHosts(extra);
  return (req: Request, res: Response, next: NextFunction): void => {
    const name = hostName(req.get('host') ?? '');
    if (allowed.has(name) || (name.endsWith('.localhost') && allowed.has('localhost'))) {
      next();
      return;
    }
    res
      .status(421)
      .set('X-Content-Type-Options', 'nosniff')
      .json({
        error: {
          code: 'bad_host',
          message: `不接受主机名 ${JSON.stringify(name)}：请用 127.0.0.1 或 localhost 访问本服务，或以 --host 启动时给出的地址访问`,
        },
      });
  };
}
