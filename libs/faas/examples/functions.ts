// Functions for the README example: plain exported async functions, nothing else to learn.
export async function wordCount(text: string): Promise<number> {
  return text.split(/\s+/).filter(Boolean).length;
}

export async function total(counts: number[]): Promise<number> {
  return counts.reduce((sum, count) => sum + count, 0);
}
