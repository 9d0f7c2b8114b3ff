// Deterministic JSON text: objects are built in a fixed key order, printed with 2 spaces and a final newline.

export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
