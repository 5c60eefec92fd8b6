// Where a data plane listens.
export type Endpoint = { readonly host: string; readonly port: number };

export function formatEndpoint(e: Endpoint): string {
  return `${e.host}:${e.port}`;
}
