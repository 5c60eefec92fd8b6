// A JSON merge patch (RFC 7386) turning `before` into `after`: changed keys set, removed keys null, arrays
// replaced whole. undefined when nothing changed, so a steady pass writes nothing.
type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mergePatch(before: Json, after: Json): Json | undefined {
  if (isObject(before) && isObject(after)) {
    const patch: Record<string, Json> = {};
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const a = after[key];
      if (a === undefined) {
        if (before[key] !== undefined) patch[key] = null;
        continue;
      }
      const p = mergePatch(before[key], a);
      if (p !== undefined) patch[key] = p;
    }
    return Object.keys(patch).length === 0 ? undefined : patch;
  }
  return canonical(before) === canonical(after) ? undefined : stripUndefined(after);
}

/** JSON with sorted keys: the API server returns objects with its own key order. */
function canonical(v: Json): string {
  return JSON.stringify(v, (_k, value: Json) =>
    isObject(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}

function stripUndefined(v: Json): Json {
  return v === undefined ? null : JSON.parse(JSON.stringify(v));
}
