/**
 * One sequence of a FASTA file as a `.fai` line describes it: name, bases, the byte of its first
 * base, bases per line and bytes per line (with the terminator).
 */
export type FastaSequence = [
  name: string,
  length: number,
  offset: number,
  lineBases: number,
  lineWidth: number,
];

/**
 * About how many bases a record (a sequence piece) holds: pieces are whole lines, as many as fit
 * in this many bases (at least one), so a long sequence splits at line boundaries and every plan
 * cuts it the same way.
 */
export const PIECE_BASES = 16_384;

/** Bases per piece of a sequence: a whole number of its lines. */
export function pieceBases([, , , lineBases]: FastaSequence): number {
  return lineBases * Math.max(1, Math.floor(PIECE_BASES / lineBases));
}

/** Pieces of a sequence (none for an empty one). */
export function pieceCount(sequence: FastaSequence): number {
  return Math.ceil(sequence[1] / pieceBases(sequence));
}

/** The byte of base `base` (0-based) of a sequence. */
export function baseByte([, , offset, lineBases, lineWidth]: FastaSequence, base: number): number {
  return offset + Math.floor(base / lineBases) * lineWidth + (base % lineBases);
}

/** Bases `[start, end)` of piece `piece` of a sequence. */
export function pieceBaseRange(sequence: FastaSequence, piece: number): [start: number, end: number] {
  const size = pieceBases(sequence);
  return [piece * size, Math.min(sequence[1], (piece + 1) * size)];
}

/** Bytes `[start, end)` holding piece `piece` of a sequence (from its first base to its last). */
export function pieceByteRange(sequence: FastaSequence, piece: number): [start: number, end: number] {
  const [start, end] = pieceBaseRange(sequence, piece);
  return [baseByte(sequence, start), baseByte(sequence, end - 1) + 1];
}
