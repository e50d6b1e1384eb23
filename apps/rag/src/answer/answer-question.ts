import { askChat, type ChatEndpoint } from './chat-answer.js';
import { type AnswerSentence, extractiveAnswer } from './extractive-answer.js';
import type { Passage } from './passage.js';

/** An answer and what made it: the chat model, or the extractive picker over the passages. */
export interface RagAnswer {
  answer: string;
  answerer: 'chat' | 'extractive';
  /** The chat model (answerer `chat`). */
  model?: string;
  /** The passages' sentences the answer consists of (answerer `extractive`). */
  sentences?: AnswerSentence[];
}

/** Answers `question` from `passages`: by the chat endpoint when one is given, else extractively. */
export async function answerQuestion(
  question: string,
  passages: Passage[],
  chat?: ChatEndpoint,
): Promise<RagAnswer> {
  if (chat) {
    return { answer: await askChat(chat, question, passages), answerer: 'chat', model: chat.model };
  }
  const extracted = extractiveAnswer(question, passages);
  return { answer: extracted.text, answerer: 'extractive', sentences: extracted.sentences };
}
