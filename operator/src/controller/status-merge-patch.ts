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
  return JSON.stringify(before) === JSON.stringify(after) ? undefined : stripUndefined(after);
}

function stripUndefined(v: Json): Json {
  return v === undefined ? null : JSON.parse(JSON.stringify(v));
}
