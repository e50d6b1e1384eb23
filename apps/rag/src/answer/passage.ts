/** A retrieved passage an answer is made from: a search hit's text, where it came from, its score. */
export interface Passage {
  text: string;
  source: string;
  score: number;
}

/** The file name of a source URL (`file:///corpus/ls.1.txt` → `ls.1.txt`), how passages are cited. */
export function sourceName(source: string): string {
  const path = source.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || source;
}
