/** A text line without its line terminator (`\n` or `\r\n`), decoded as UTF-8. */
export function lineText(line: Uint8Array): string {
  let end = line.length;
  if (end > 0 && line[end - 1] === 10) end--;
  if (end > 0 && line[end - 1] === 13) end--;
  return Buffer.from(line.buffer, line.byteOffset, end).toString('utf8');
}

/** The first `count` tab-separated fields of a line (fewer when it has fewer). */
export function leadingFields(line: Uint8Array, count: number): string[] {
  const fields: string[] = [];
  let start = 0;
  const end = line.length - (line.at(-1) === 10 ? 1 : 0);
  while (fields.length < count && start <= end) {
    let tab = line.indexOf(9, start);
    if (tab < 0 || tab > end) tab = end;
    fields.push(Buffer.from(line.buffer, line.byteOffset + start, tab - start).toString('utf8'));
    start = tab + 1;
  }
  return fields;
}

/** Whether a text field is a non-negative decimal integer. */
export function isUnsignedInteger(field: string | undefined): boolean {
  return field !== undefined && /^\d+$/.test(field);
}

/** The probe's first bytes as text, if they look like text (no NUL bytes). */
export function probeText(head: Uint8Array): string | undefined {
  if (head.includes(0)) return undefined;
  return Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('utf8');
}
