// Minimal REST calls for cluster tests (Flink's paths and shapes).
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function submitJob(
  base: string,
  body: { jobModule: string; args: string[]; parallelism: number },
): Promise<string> {
  const res = await fetch(`${base}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 202) throw new Error(`POST /jobs: ${res.status} ${text}`);
  return (JSON.parse(text) as { jobid: string }).jobid;
}

export async function jobState(base: string, id: string): Promise<string> {
  return (await getJson<{ state: string }>(`${base}/jobs/${id}`)).state;
}
