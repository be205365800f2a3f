import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * A bare HTTP/1.1 client over a socket, for probes: fetch and http.request normalise what a
 * hostile client would not (paths with /../, a missing or forged Host, backslashes, raw bytes).
 */

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie can repeat: every one, in order. */
  cookies: string[];
  body: string;
}

export interface RawRequest {
  method?: string;
  /** The request target exactly as sent (no encoding or normalising). */
  target: string;
  /** Header lines as given; Host and Connection are added unless given (null leaves one out). */
  headers?: Record<string, string | null>;
  body?: string | Buffer;
}

export function requestBytes(port: number, request: RawRequest): Buffer {
  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
  const headers: Record<string, string | null> = {
    Host: `127.0.0.1:${port}`,
    Connection: 'close',
    ...(body ? { 'Content-Length': String(body.length) } : {}),
    ...request.headers,
  };
  const lines = [`${request.method ?? 'GET'} ${request.target} HTTP/1.1`];
  for (const [name, value] of Object.entries(headers)) if (value !== null) lines.push(`${name}: ${value}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}

function dechunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

export function parseResponse(bytes: Buffer): RawResponse {
  const split = bytes.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`no HTTP response (got ${bytes.length} bytes)`);
  const [statusLine = '', ...lines] = bytes.subarray(0, split).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'set-cookie') cookies.push(value);
    headers[name] = value;
  }
  let body = bytes.subarray(split + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') body = dechunk(body);
  return { status: Number(statusLine.split(' ')[1]), headers, cookies, body: body.toString('utf8') };
}

/**
 * Sends the request and reads the response until the server closes. A server that answers
 * before reading a whole oversized body may reset the socket while we still write: what it
 * answered counts.
 */
export function rawHttp(port: number, request: RawRequest, host = '127.0.0.1'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const received: Buffer[] = [];
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const bytes = Buffer.concat(received);
      if (bytes.length > 0) {
        try {
          return resolve(parseResponse(bytes));
        } catch (parseError) {
          return reject(parseError as Error);
        }
      }
      reject(error ?? new Error('the server closed the connection without answering'));
    };
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (error) => finish(error));
    // No half-close: Node's server drops a connection whose client ended before the answer; Connection: close ends it instead.
    socket.on('connect', () => socket.write(requestBytes(port, request)));
  });
}

/** Whether a TCP connection to host:port is accepted at all. */
export function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Every file under the folders, with a hash of its content: what a probe must leave as it was. */
export function snapshot(dirs: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(full, createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  for (const dir of dirs) walk(dir);
  return files;
}

/** The files added, removed or changed between two snapshots, by path. */
export function snapshotChanges(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed: string[] = [];
  for (const [file, hash] of after) if (before.get(file) !== hash) changed.push(before.has(file) ? `changed ${file}` : `added ${file}`);
  for (const file of before.keys()) if (!after.has(file)) changed.push(`removed ${file}`);
  return changed.sort();
}
