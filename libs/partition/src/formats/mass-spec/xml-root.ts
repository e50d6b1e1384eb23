/** The name of an XML document's root element from its first bytes (past the declaration and comments). */
export function rootElement(head: Uint8Array): string | undefined {
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 4096))
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '');
  const match = /^\s*(?:<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<([A-Za-z_][\w.:-]*)/.exec(
    text,
  );
  return match?.[1];
}

/** Whether an mzML-rooted document is imzML: the `.imzML` name or the imaging ontology in its head. */
export function isImzml(key: string, head: Uint8Array): boolean {
  if (/\.imzml$/i.test(key)) return true;
  const text = Buffer.from(head.buffer, head.byteOffset, head.length).toString('latin1');
  return /accession="IMS:1000080"|imagingMS\.obo/.test(text);
}
