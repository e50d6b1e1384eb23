#!/usr/bin/env node
// Launcher of the built RAG server: says what to do instead of a stack trace when it is not built yet.
try {
  await import('../dist/main.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('/dist/main.js')) {
    console.error('isthmus-rag: not built yet; run `npm run build` at the repository root.');
    process.exit(1);
  }
  throw error;
}
