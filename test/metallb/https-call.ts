import { request } from 'node:https';

/**
 * One HTTPS request to a program under test on 127.0.0.1, as the API server would make it: TLS
 * verified against `ca` for the name `servername` (the webhook's Service DNS name), or not verified
 * at all when no CA is given (a self-signed metrics endpoint).
 */
export function httpsCall(options: {
  port: number;
  path: string;
  method?: string;
  body?: unknown;
  ca?: string;
  servername?: string;
  token?: string;
  timeoutMs?: number;
}): Promise<{ status: number; text: string; json?: any }> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: options.port,
        path: options.path,
        method: options.method ?? (payload ? 'POST' : 'GET'),
        ca: options.ca,
        servername: options.servername,
        rejectUnauthorized: options.ca !== undefined,
        timeout: options.timeoutMs ?? 5000,
        headers: {
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`127.0.0.1:${options.port}${options.path}: no answer within ${options.timeoutMs ?? 5000} ms`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}
