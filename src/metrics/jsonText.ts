/**
 * JSON with 2-space indentation where arrays of numbers stay on one line, so metrics.json is
 * readable and diffable. Numbers use JavaScript's shortest round-trip form.
 */
export function jsonText(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value);
  }
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return '[' + value.map((v) => jsonText(v)).join(', ') + ']';
    return '[\n' + value.map((v) => inner + jsonText(v, inner)).join(',\n') + '\n' + indent + ']';
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return '{\n' + entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${jsonText(v, inner)}`).join(',\n') + '\n' + indent + '}';
}
