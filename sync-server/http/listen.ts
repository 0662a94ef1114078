/**
 * Starting to listen, and knowing whether it worked: `listen`'s callback is not a
 * promise that the port is ours (Express 5 calls it with the error too), so this waits
 * for 'listening' or 'error' and turns the common failures into a sentence a person can
 * act on.
 */
import { createServer, type RequestListener, type Server } from 'node:http';

export class ListenError extends Error {
  override name = 'ListenError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export function listenMessage(port: number, host: string, code: string | undefined): string {
  switch (code) {
    case 'EADDRINUSE':
      return `端口 ${port} 已被占用（可能另一个表格客户管理服务正在运行，表单会交给它）：请用 --port 换一个端口，或先停止占用它的程序`;
    case 'EACCES':
    case 'EPERM':
      return `没有权限监听端口 ${port}：1024 以下的端口需要管理员权限，请用 --port 选 1024 以上的端口`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `本机没有地址 ${host}：请用 --host 指定本机的地址（如 127.0.0.1）`;
    default:
      return `无法在 ${host}:${port} 上启动服务（${code ?? '未知原因'}）`;
  }
}

/** Listens on host:port; resolves once listening, rejects with a {@link ListenError}. */
export function listenOn(handler: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer(handler);
  return new Promise<Server>((ok, fail) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      fail(new ListenError(listenMessage(port, host, e.code), e.code));
    };
    const onListening = (): void => {
      server.off('error', onError);
      ok(server);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
