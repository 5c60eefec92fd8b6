// Merges a user's pod template override over the generated one: objects merge key by key, lists of named
// items (containers, env, volumes, ports) merge by name, other lists and values are replaced.
type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isNamedList(v: Json): v is Record<string, Json>[] {
  return Array.isArray(v) && v.length > 0 && v.every((i) => isObject(i) && typeof i.name === 'string');
}

export function mergeOverride(base: Json, override: Json): Json {
  if (override === undefined) return base;
  if (isObject(base) && isObject(override)) {
    const out: Record<string, Json> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = mergeOverride(base[k], v);
    return out;
  }
  if (isNamedList(base) && isNamedList(override)) {
    const out = base.map((item) => {
      const o = override.find((x) => x.name === item.name);
      return o === undefined ? item : mergeOverride(item, o);
    });
    for (const o of override) if (!base.some((b) => b.name === o.name)) out.push(o);
    return out;
  }
  return override;
}
