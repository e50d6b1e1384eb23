// @isthmus/rag-app: retrieval-augmented answers over a folder or bucket, served with a web page.
export { answerQuestion, type RagAnswer } from './answer/answer-question.js';
export {
  askChat,
  buildChatRequest,
  type ChatEndpoint,
  type ChatRequest,
  chatAnswerOf,
  chatCompletionsUrl,
} from './answer/chat-answer.js';
export {
  type AnswerSentence,
  type ExtractiveAnswer,
  type ExtractiveOptions,
  extractiveAnswer,
  splitSentences,
  termsOf,
} from './answer/extractive-answer.js';
export { type Passage, sourceName } from './answer/passage.js';
export {
  RENDER_MAN_CORPUS_SCRIPT,
  renderManPages,
  SMALL_MAN_CORPUS,
} from './corpus/man-corpus.js';
export * from './errors.js';
export {
  evaluateRetrieval,
  type LabelledQuestion,
  loadQuestions,
  type ModeMetrics,
  type RetrievalEvaluation,
} from './eval/evaluate-retrieval.js';
export { documentOf, rankDocuments, recallAtK, reciprocalRank } from './eval/retrieval-metrics.js';
export { type IngestJobState, type IngestJobStatus, IngestJobs } from './ingest-jobs.js';
export { type RagServer, type RagServerOptions, startRagServer } from './rag-server.js';
export { defaultTable, parseServerArgs, USAGE } from './server-args.js';
